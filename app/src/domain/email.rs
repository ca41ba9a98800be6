//! What an email address must look like before the portal writes to it,
//! and the slips of typing at the common mailbox domains that are worth a
//! "did you mean". Every form and command that takes an address asks here.

use super::Language;

/// The domains most customers' mail is at. An address a letter or two away
/// from one of them is offered the right spelling; one of them exactly is
/// never questioned.
const COMMON_DOMAINS: [&str; 18] = [
    "gmail.com",
    "yahoo.com",
    "ymail.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "comcast.net",
    "att.net",
    "verizon.net",
    "sbcglobal.net",
    "protonmail.com",
    "mail.com",
    "example.com",
];

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Please enter your email address so we can reply.")]
    Missing,
    #[error("Please enter an email address like name@example.com.")]
    Malformed,
    /// No mail goes to a domain without a dot (`name@gmail`), however it is
    /// spelt; this one looks like a common domain cut short.
    #[error("Please check the address: did you mean {0}?")]
    Unfinished(String),
}

impl EmailError {
    /// What the form says beside the address, in the customer's language.
    pub fn message(&self, lang: Language) -> String {
        use crate::text::problems;
        match self {
            Self::Missing => problems::email_missing(lang).to_owned(),
            Self::Malformed => problems::email_malformed(lang).to_owned(),
            Self::Unfinished(suggestion) => problems::email_unfinished(lang, suggestion),
        }
    }
}

/// An email address that mail can be sent to: trimmed, with a domain of at
/// least two non-empty labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Self, EmailError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Missing);
        }
        let domain = trimmed.rsplit_once('@').map_or("", |(_, domain)| domain);
        let dotted = domain.split('.').count() >= 2 && domain.split('.').all(|label| !label.is_empty());
        if !well_formed(trimmed) {
            return Err(EmailError::Malformed);
        }
        if !dotted {
            return Err(suggestion(trimmed).map_or(EmailError::Malformed, EmailError::Unfinished));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The shape the HTML standard gives an email address (what a browser's
/// own `type=email` check accepts) within the lengths of RFC 5321, with a
/// domain that may be written in its own script (`café.fr`). Quoted local
/// parts and addresses at a bare IP address are refused: no customer's
/// mailbox is one. Written out rather than as regular expressions, which
/// would be most of what a customer's browser downloads to check a form.
fn well_formed(address: &str) -> bool {
    const LOCAL_SYMBOLS: &str = ".!#$%&'*+/=?^_`{|}~-";
    let Some((local, domain)) = address.rsplit_once('@') else { return false };
    let local_ok = (1..=64).contains(&local.chars().count())
        && local.chars().all(|c| c.is_ascii_alphanumeric() || LOCAL_SYMBOLS.contains(c));
    let label_ok = |label: &str| {
        (1..=63).contains(&label.chars().count())
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    local_ok && domain.chars().count() <= 255 && domain.split('.').all(label_ok)
}

/// The address as it was probably meant, when its domain is a slip away
/// from a common one (`gmial.com`, `yahoo.co`, `hotmail`): a hint shown
/// beside the field, never a reason to refuse it.
pub fn suggestion(text: &str) -> Option<String> {
    let (local, domain) = text.trim().rsplit_once('@')?;
    let domain = domain.to_ascii_lowercase();
    if local.is_empty() || domain.is_empty() || COMMON_DOMAINS.contains(&domain.as_str()) {
        return None;
    }
    let distance = |common: &str| {
        let whole = strsim::damerau_levenshtein(&domain, common);
        // `gmail` for `gmail.com`: the name alone, its ending left off.
        let name = common.split('.').next().unwrap_or(common);
        if domain.contains('.') { whole } else { whole.min(strsim::damerau_levenshtein(&domain, name)) }
    };
    let (best, away) = COMMON_DOMAINS.iter().map(|common| (*common, distance(common))).min_by_key(|(_, away)| *away)?;
    let close_enough = if best.len() <= 7 { 1 } else { 2 };
    (away <= close_enough).then(|| format!("{local}@{best}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_without_a_dot_is_refused() {
        let cases = [
            ("name@gmail", EmailError::Unfinished("name@gmail.com".into())),
            ("name@hotmial", EmailError::Unfinished("name@hotmail.com".into())),
            ("name@localhost", EmailError::Malformed),
            ("name@example.", EmailError::Malformed),
            ("name@.com", EmailError::Malformed),
            ("name@", EmailError::Malformed),
            ("  ", EmailError::Missing),
        ];
        for (text, error) in cases {
            assert_eq!(Email::parse(text), Err(error), "{text}");
        }
        assert_eq!(Email::parse(" ada@example.co.uk ").map(|e| e.as_str().to_owned()), Ok("ada@example.co.uk".into()));
    }

    #[test]
    fn addresses_take_the_shape_browsers_accept() {
        let long_local = format!("{}@example.com", "a".repeat(65));
        let long_label = format!("ada@{}.com", "a".repeat(64));
        for refused in [
            "ada lovelace@example.com",
            "\"ada\"@example.com",
            "ada@@example.com",
            "ada@exa mple.com",
            "ada@-example.com",
            "ada@example-.com",
            "ada@[192.0.2.1]",
            "<b>ada</b>@example.com",
            long_local.as_str(),
            long_label.as_str(),
        ] {
            assert_eq!(Email::parse(refused), Err(EmailError::Malformed), "{refused}");
        }
        for accepted in ["o'brien+orders@example.com", "ada.lovelace@mail.example.co.uk", "josé@café.fr", "a-b@x-y.org"]
        {
            let local_ascii = accepted.split('@').next().is_some_and(str::is_ascii);
            assert_eq!(Email::parse(accepted).is_ok(), local_ascii, "{accepted}");
        }
    }

    #[test]
    fn common_domains_mistyped_are_offered_their_spelling() {
        let cases = [
            ("ada@gmial.com", Some("ada@gmail.com")),
            ("ada@gmail.co", Some("ada@gmail.com")),
            ("ada@yaho.com", Some("ada@yahoo.com")),
            ("ada@hotmail.con", Some("ada@hotmail.com")),
            ("ada@outlok.com", Some("ada@outlook.com")),
            ("ada@iclod.com", Some("ada@icloud.com")),
            ("ada@aol.co", Some("ada@aol.com")),
            ("Ada@GMAIL.COM", None),
            ("ada@gmail.com", None),
            ("ada@me.com", None),
            ("ada@mail.com", None),
            ("ada@lovelace.org", None),
            ("ada@hospital.example", None),
        ];
        for (typed, meant) in cases {
            assert_eq!(suggestion(typed).as_deref(), meant, "{typed}");
            assert!(Email::parse(typed).is_ok(), "{typed} is a hint, not a refusal");
        }
    }
}
