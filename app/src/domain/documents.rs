//! Supporting documents a customer sends with their request: which kinds
//! the portal takes, told from the bytes themselves, and how a document is
//! listed. The name a browser sends is kept only as text to show; neither
//! it nor the declared content type decides anything.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Language;
use crate::text::tracking;

/// The name of the file field on the tracking page's form.
pub const DOCUMENTS_FIELD: &str = "documents";

/// The longest original file name kept, in characters.
pub const NAME_LIMIT: usize = 200;

/// What the file input offers; the server decides from the bytes anyway.
pub const ACCEPTED: &str = "image/jpeg,image/png,application/pdf";

named_enum! {
    /// A kind of document the portal takes, as sniffed from its first bytes.
    DocumentKind {
        Pdf => "pdf",
        Png => "png",
        Jpeg => "jpeg",
    }
}

impl DocumentKind {
    /// The kind the bytes are, by their magic numbers; `None` for anything
    /// else, whatever its name says.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Png => "PNG image",
            Self::Jpeg => "JPEG image",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Png => "png",
            Self::Jpeg => "jpg",
        }
    }
}

/// One stored document, as listed to staff and to the customer who sent it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEntry {
    pub id: i64,
    /// The original file name, as text only.
    pub name: String,
    pub kind: DocumentKind,
    pub size: u64,
    pub received_on: NaiveDate,
}

/// The name a browser sent, fit to keep as text: control characters
/// dropped, trimmed, at most [`NAME_LIMIT`] characters; a stand-in when
/// nothing is left.
pub fn display_name(sent: &str) -> String {
    let name: String = sent.chars().filter(|c| !c.is_control()).collect();
    let name: String = name.trim().chars().take(NAME_LIMIT).collect();
    let name = name.trim_end();
    if name.is_empty() { "document".to_owned() } else { name.to_owned() }
}

/// A file name for a download that any browser and any disk takes: the
/// kept name's safe ASCII characters, and the extension of what the bytes
/// really are.
pub fn ascii_file_name(name: &str, kind: DocumentKind) -> String {
    // Only a real extension is cut off: the last dot of "../../etc/passwd"
    // starts no extension.
    let is_extension = |tail: &str| (1..=5).contains(&tail.len()) && tail.chars().all(|c| c.is_ascii_alphanumeric());
    let stem = name.rsplit_once('.').filter(|(_, tail)| is_extension(tail)).map_or(name, |(stem, _)| stem);
    let safe: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') { c } else { '_' })
        .take(80)
        .collect();
    let safe = safe.trim_matches('_');
    let stem = if safe.is_empty() { "document" } else { safe };
    format!("{stem}.{}", kind.extension())
}

/// A size as people read it: bytes, KB or MB.
pub fn size_label(bytes: u64) -> String {
    size_label_in(bytes, Language::En)
}

/// [`size_label`] in a customer's language, whose decimal mark may differ:
/// "1,5 MB" in Spanish.
pub fn size_label_in(bytes: u64, lang: Language) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    match bytes {
        b if b < KB => tracking::documents_bytes(lang, &b.to_string()),
        b if b < MB => format!("{:.0} KB", b as f64 / KB as f64),
        b => format!("{:.1} MB", b as f64 / MB as f64).replace('.', tracking::documents_decimal_mark(lang)),
    }
}

/// The timeline's body for documents received: how many, and their names.
pub fn received_text(names: &[String]) -> String {
    let count = match names.len() {
        1 => "1 document".to_owned(),
        n => format!("{n} documents"),
    };
    format!("{count}: {}", names.join(", "))
}

/// Why an upload was refused, as the tracking page tells it beside the field.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocumentsRefusal {
    pub message: String,
}

/// Why a sending of documents is refused. One refused file refuses the
/// sending, so the customer never wonders which of them arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    NoneChosen,
    /// The request holds `most` documents already.
    Full {
        most: u64,
    },
    /// Only `left` more fit.
    OnlyMore {
        left: u64,
    },
    /// The file named `name` is over the size of one file.
    TooLarge {
        name: String,
        most: u64,
    },
    /// Together they are over what a request may hold.
    TooMuch {
        most: u64,
    },
    /// Its bytes are not a kind the portal takes.
    NotAccepted {
        name: String,
    },
    /// An old link's files were not kept: a confirmation went moments ago.
    HeldTooSoon,
    /// An old link's files were not kept: the customer is answered by
    /// post, so no confirmation link can be emailed.
    HeldByPost,
}

impl Refused {
    /// Why, as the customer reads it in `lang`.
    pub fn message(&self, lang: Language) -> String {
        match self {
            Self::NoneChosen => tracking::documents_none_chosen(lang).to_owned(),
            Self::Full { most } => tracking::documents_full(lang, &most.to_string()),
            Self::OnlyMore { left } => tracking::documents_only_more(lang, &left.to_string()),
            Self::TooLarge { name, most } => tracking::documents_too_large(lang, name, &size_label_in(*most, lang)),
            Self::TooMuch { most } => tracking::documents_too_much(lang, &size_label_in(*most, lang)),
            Self::NotAccepted { name } => tracking::documents_not_accepted(lang, name),
            Self::HeldTooSoon => tracking::documents_held_too_soon(lang).to_owned(),
            Self::HeldByPost => tracking::documents_held_by_post(lang).to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_decide_the_kind_not_the_name() {
        assert_eq!(DocumentKind::sniff(b"%PDF-1.7\n..."), Some(DocumentKind::Pdf));
        assert_eq!(DocumentKind::sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(DocumentKind::Png));
        assert_eq!(DocumentKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(DocumentKind::Jpeg));
        assert_eq!(DocumentKind::sniff(b"<script>alert(1)</script>"), None);
        assert_eq!(DocumentKind::sniff(b""), None);
        assert_eq!(DocumentKind::sniff(b"%PD"), None);
    }

    #[test]
    fn names_are_kept_as_short_text_and_downloaded_as_safe_ascii() {
        assert_eq!(display_name("  card\u{0}.jpg \n"), "card.jpg");
        assert_eq!(display_name("   "), "document");
        assert_eq!(display_name(&"é".repeat(300)).chars().count(), NAME_LIMIT);
        assert_eq!(ascii_file_name("../../etc/passwd", DocumentKind::Pdf), "etc_passwd.pdf");
        assert_eq!(ascii_file_name("Carte d'assuré.jpg", DocumentKind::Pdf), "Carte_d_assur.pdf");
        assert_eq!(ascii_file_name("\"quoted\";.png", DocumentKind::Png), "quoted.png");
        assert_eq!(ascii_file_name("写真.png", DocumentKind::Jpeg), "document.jpg");
    }

    #[test]
    fn sizes_and_counts_read_naturally() {
        assert_eq!(size_label(12), "12 bytes");
        assert_eq!(size_label(2048), "2 KB");
        assert_eq!(size_label(3 * 1024 * 1024 / 2), "1.5 MB");
        assert_eq!(received_text(&["a.pdf".into()]), "1 document: a.pdf");
        assert_eq!(received_text(&["a.pdf".into(), "b.png".into()]), "2 documents: a.pdf, b.png");
        assert_eq!(size_label_in(3 * 1024 * 1024 / 2, Language::Es), "1,5 MB");
    }

    #[test]
    fn a_refusal_is_told_in_the_customer_s_language() {
        let too_large = Refused::TooLarge { name: "big.pdf".into(), most: 10 };
        assert_eq!(
            too_large.message(Language::En),
            "big.pdf is larger than 10 bytes, so nothing was sent. Please send a smaller copy."
        );
        assert!(too_large.message(Language::Es).starts_with("big.pdf pesa más de 10 bytes"));
        let too_much = Refused::TooMuch { most: 3 * 1024 * 1024 / 2 };
        assert!(too_much.message(Language::Es).contains("1,5 MB"), "{}", too_much.message(Language::Es));
    }
}
