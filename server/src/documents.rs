//! Supporting documents customers send with their request: the limits on
//! them, what is accepted (by the bytes, never the name), and the list of a
//! request's documents as staff and the customer see it. The documents are
//! written by the case desk with the event that tells of them, opened for
//! staff by the case desk with an access-log entry, and deleted by the purge.

use app::domain::documents::{DocumentEntry, DocumentKind, display_name, size_label};
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
    /// The largest body the documents form may send: every byte the request
    /// may still take, and room for the form's own parts around them.
    pub fn body_limit(&self) -> u64 {
        self.per_request.saturating_add(64 * 1024)
    }

    pub fn too_large(&self, name: &str) -> String {
        format!(
            "{} is larger than {}, so nothing was sent. Please send a smaller copy.",
            name,
            size_label(self.per_file)
        )
    }

    pub fn too_much(&self) -> String {
        format!(
            "Together your documents would be larger than {}, the most one request can hold, so nothing was sent.",
            size_label(self.per_request)
        )
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
pub fn accept(uploads: Vec<Upload>, held: Held, limits: &DocumentLimits) -> Result<Vec<Accepted>, String> {
    if uploads.is_empty() {
        return Err("Choose at least one file to send.".to_owned());
    }
    if held.count + uploads.len() as u64 > limits.count {
        return Err(match limits.count.saturating_sub(held.count) {
            0 => {
                format!("This request already holds {} documents, the most it can, so nothing was sent.", limits.count)
            }
            left => format!("You can send {left} more document(s) for this request, so nothing was sent."),
        });
    }
    let mut total = held.bytes;
    let mut accepted = Vec::with_capacity(uploads.len());
    for upload in uploads {
        let name = display_name(&upload.name);
        if upload.bytes.len() as u64 > limits.per_file {
            return Err(limits.too_large(&name));
        }
        total += upload.bytes.len() as u64;
        if total > limits.per_request {
            return Err(limits.too_much());
        }
        let Some(kind) = DocumentKind::sniff(&upload.bytes) else {
            return Err(format!(
                "{name} is not a PDF, JPEG or PNG file, whatever its name says, so nothing was sent. \
                 Please send a PDF, JPEG or PNG."
            ));
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
        assert!(refused.is_err_and(|why| why.starts_with("photo.png is not a PDF")));
    }

    #[test]
    fn limits_per_file_per_request_and_in_number() {
        let big = [b'%'; 101];
        assert!(accept(vec![upload("big.pdf", &big)], Held::default(), &LIMITS).is_err_and(|w| w.contains("larger")));
        let held = Held { count: 1, bytes: 100 };
        let pdf = [b"%PDF-".as_slice(), &[b'x'; 55]].concat();
        assert!(accept(vec![upload("a.pdf", &pdf)], held, &LIMITS).is_err_and(|w| w.contains("Together")));
        let three = Held { count: 3, bytes: 0 };
        assert!(accept(vec![upload("a.pdf", b"%PDF-")], three, &LIMITS).is_err_and(|w| w.contains("already holds")));
        assert!(accept(Vec::new(), Held::default(), &LIMITS).is_err());
    }
}
