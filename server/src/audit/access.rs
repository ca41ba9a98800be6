//! The access log: who opened which case. A case page shows a customer's
//! personal data, so every opening is an audit entry; but a page that only
//! reads must not queue behind the one SQLite writer (sixty-four case pages
//! opened together took a commit each, and under load one waited out the
//! request timeout). So openings are handed to one writer of their own,
//! which appends whatever has gathered in one transaction, and the page
//! goes on as soon as its entry is handed over.
//!
//! What this gives up: entries handed over in the milliseconds before a
//! crash are not written. When the writer falls behind, the queue fills and
//! pages wait for room, so a slow disk slows pages down rather than losing
//! entries.

use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};
use tokio::sync::mpsc;

use super::{Actor, append};
use crate::db::batch::gather;

/// Openings written in one transaction at most, and waiting at most.
const MAX_BATCH: usize = 256;
const QUEUE: usize = 1024;

struct Opening {
    actor: Actor,
    request_id: i64,
    /// A document of the request opened, rather than the case page.
    document: Option<i64>,
}

#[derive(Clone)]
pub struct AccessLog {
    openings: mpsc::Sender<Opening>,
}

impl AccessLog {
    /// Starts the log's writer; it stops once every handle is dropped.
    pub fn start(db: DatabaseConnection) -> Self {
        let (openings, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, queue));
        Self { openings }
    }

    /// Hands over the opening of a request by `actor`.
    pub async fn opened(&self, actor: Actor, request_id: i64) -> Result<(), DbErr> {
        self.openings
            .send(Opening { actor, request_id, document: None })
            .await
            .map_err(|_| DbErr::Custom("the access log's writer has stopped".into()))
    }

    /// Hands over the opening of one of a request's documents by `actor`.
    pub async fn opened_document(&self, actor: Actor, request_id: i64, document: i64) -> Result<(), DbErr> {
        self.openings
            .send(Opening { actor, request_id, document: Some(document) })
            .await
            .map_err(|_| DbErr::Custom("the access log's writer has stopped".into()))
    }
}

async fn run(db: DatabaseConnection, mut queue: mpsc::Receiver<Opening>) {
    while let Some(first) = queue.recv().await {
        let batch = gather(first, &mut queue, MAX_BATCH);
        if let Err(error) = write(&db, &batch).await {
            tracing::warn!(%error, size = batch.len(), "a batch of access entries failed; writing them one by one");
            for opening in &batch {
                if let Err(error) = write(&db, std::slice::from_ref(opening)).await {
                    tracing::error!(%error, request_id = opening.request_id, actor = %opening.actor,
                        "an access entry could not be written");
                }
            }
        }
    }
}

async fn write(db: &DatabaseConnection, batch: &[Opening]) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    for opening in batch {
        let (action, detail) = match opening.document {
            None => ("request.opened", serde_json::json!({})),
            Some(document) => ("request.document_opened", serde_json::json!({ "document": document })),
        };
        append(&txn, &opening.actor, action, Some(opening.request_id), detail).await?;
    }
    txn.commit().await
}
