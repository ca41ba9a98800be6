//! Supporting documents customers send with their request: the limits on
//! them, what is accepted (by the bytes, never the name), and the list of a
//! request's documents as staff and the customer see it. The documents are
//! written by the case desk with the event that tells of them, opened for
//! staff by the case desk with an access-log entry, and deleted by the purge.

use app::domain::documents::{DocumentEntry, DocumentKind, Refused, display_name};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::db::entities::request_document;
use crate::vault::{Vault, VaultError};

/// How much a request may hold; from the settings.
#[derive(Clone, Copy, Debug)]
pub struct DocumentLimits {
    pub per_file: u64,
    pub per_request: u64,
    pub count: u64,
}

impl DocumentLimits {
    /// Why a file of `size` bytes, bringing the request to `total`, cannot
    /// be kept. The streamed body asks as each part arrives and [`accept`]
    /// asks again, so a sending is refused for the same reason however far
    /// it got.
    pub fn over(&self, name: &str, size: u64, total: u64) -> Option<Refused> {
        if size > self.per_file {
            Some(Refused::TooLarge { name: display_name(name), most: self.per_file })
        } else if total > self.per_request {
            Some(Refused::TooMuch { most: self.per_request })
        } else {
            None
        }
    }
}

/// A file as the browser sent it.
pub struct Upload {
    /// The name as sent: only ever shown as text.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A file the portal takes, with the kind its bytes are.
pub struct Accepted {
    pub name: String,
    pub kind: DocumentKind,
    pub bytes: Vec<u8>,
}

/// What a request already holds.
#[derive(Clone, Copy, Debug, Default)]
pub struct Held {
    pub count: u64,
    pub bytes: u64,
}

/// The files to keep, or why none is kept: one refused file refuses the
/// sending, so the customer never wonders which of them arrived.
pub fn accept(uploads: Vec<Upload>, held: Held, limits: &DocumentLimits) -> Result<Vec<Accepted>, Refused> {
    if uploads.is_empty() {
        return Err(Refused::NoneChosen);
    }
    if held.count + uploads.len() as u64 > limits.count {
        return Err(match limits.count.saturating_sub(held.count) {
            0 => Refused::Full { most: limits.count },
            left => Refused::OnlyMore { left },
        });
    }
    let mut total = held.bytes;
    let mut accepted = Vec::with_capacity(uploads.len());
    for upload in uploads {
        let size = upload.bytes.len() as u64;
        total += size;
        if let Some(why) = limits.over(&upload.name, size, total) {
            return Err(why);
        }
        let name = display_name(&upload.name);
        let Some(kind) = DocumentKind::sniff(&upload.bytes) else {
            return Err(Refused::NotAccepted { name });
        };
        accepted.push(Accepted { name, kind, bytes: upload.bytes });
    }
    Ok(accepted)
}

/// How many documents, and how many bytes, a request holds.
pub async fn held(db: &impl ConnectionTrait, request_id: i64) -> Result<Held, DbErr> {
    let sizes: Vec<i64> = request_document::Entity::find()
        .select_only()
        .column(request_document::Column::Size)
        .filter(request_document::Column::RequestId.eq(request_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(Held { count: sizes.len() as u64, bytes: sizes.iter().map(|size| u64::try_from(*size).unwrap_or(0)).sum() })
}

/// A request's documents, oldest first, without their bytes.
pub async fn listed(
    db: &impl ConnectionTrait,
    vault: &Vault,
    request_id: i64,
    local_date: impl Fn(DateTime<Utc>) -> NaiveDate,
) -> Result<Vec<DocumentEntry>, ListError> {
    let rows: Vec<(i64, String, String, i64, crate::vault::Sealed, DateTime<Utc>)> = request_document::Entity::find()
        .select_only()
        .filter(request_document::Column::HeldUntil.is_null())
        .columns([
            request_document::Column::Id,
            request_document::Column::Uid,
            request_document::Column::Kind,
            request_document::Column::Size,
            request_document::Column::Name,
            request_document::Column::ReceivedAt,
        ])
        .filter(request_document::Column::RequestId.eq(request_id))
        .order_by_asc(request_document::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(id, uid, kind, size, name, received_at)| {
            Ok(DocumentEntry {
                id,
                name: vault.open(&name, crate::vault::rows::document_place("name", &uid))?,
                kind: DocumentKind::parse(&kind).ok_or(ListError::Kind(id))?,
                size: u64::try_from(size).unwrap_or(0),
                received_on: local_date(received_at),
            })
        })
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("document {0} has a kind the portal does not know")]
    Kind(i64),
}

#[cfg(test)]
mod tests {
    use app::domain::Language;

    use super::*;

    const LIMITS: DocumentLimits = DocumentLimits { per_file: 100, per_request: 150, count: 3 };

    fn upload(name: &str, bytes: &[u8]) -> Upload {
        Upload { name: name.to_owned(), bytes: bytes.to_vec() }
    }

    #[test]
    fn the_bytes_decide_and_one_refusal_refuses_all() {
        let taken = accept(vec![upload("card.jpg", b"%PDF-1.4 x")], Held::default(), &LIMITS).expect("taken");
        assert_eq!(taken[0].kind, DocumentKind::Pdf);
        assert_eq!(taken[0].name, "card.jpg");
        let refused = accept(
            vec![upload("a.pdf", b"%PDF-1.4"), upload("photo.png", b"<script>alert(1)</script>")],
            Held::default(),
            &LIMITS,
        );
        assert_eq!(refused.as_ref().err(), Some(&Refused::NotAccepted { name: "photo.png".into() }));
        assert!(refused.is_err_and(|why| why.message(Language::En).starts_with("photo.png is not a PDF")));
    }

    #[test]
    fn limits_per_file_per_request_and_in_number() {
        let refused = |uploads, held| accept(uploads, held, &LIMITS).err();
        let big = [b'%'; 101];
        let too_large = refused(vec![upload(" big.pdf\n", &big)], Held::default()).expect("too large");
        assert_eq!(too_large, Refused::TooLarge { name: "big.pdf".into(), most: 100 });
        assert_eq!(
            too_large.message(Language::En),
            "big.pdf is larger than 100 bytes, so nothing was sent. Please send a smaller copy."
        );
        assert!(too_large.message(Language::Es).starts_with("big.pdf pesa más de 100 bytes"));
        let pdf = [b"%PDF-".as_slice(), &[b'x'; 55]].concat();
        let too_much = refused(vec![upload("a.pdf", &pdf)], Held { count: 1, bytes: 100 });
        assert_eq!(too_much, Some(Refused::TooMuch { most: 150 }));
        assert!(too_much.is_some_and(|why| why.message(Language::En).starts_with("Together")));
        let one = vec![upload("a.pdf", b"%PDF-")];
        assert_eq!(refused(one, Held { count: 3, bytes: 0 }), Some(Refused::Full { most: 3 }));
        let two = vec![upload("a.pdf", b"%PDF-"), upload("b.pdf", b"%PDF-")];
        assert_eq!(refused(two, Held { count: 2, bytes: 0 }), Some(Refused::OnlyMore { left: 1 }));
        assert_eq!(refused(Vec::new(), Held::default()), Some(Refused::NoneChosen));
    }
}
