//! Group commit. Every acknowledged submission must be on disk, and on
//! SQLite each commit waits for the disk; so submissions that arrive while
//! a commit is under way are gathered and written together in the next
//! transaction, and each is acknowledged once that one commit is done.
//! Should anything in a batch fail, its submissions are written again one
//! by one, so one bad submission never takes the others down with it.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, Set, TransactionTrait};
use tokio::sync::{mpsc, oneshot};

use app::domain::EventKind;

use crate::audit::{self, Actor};
use crate::db::batch::gather;
use crate::db::entities::{request, tracking_link};
use crate::history;
use crate::mail::outbox::SealedLetter;
use crate::mail::{Outbox, RecipientAllowance};

/// The most submissions written in one transaction.
const MAX_BATCH: usize = 256;

/// A submission ready to be written, sealed: its row and the letters it
/// causes.
#[derive(Clone)]
pub struct Prepared {
    pub row: request::ActiveModel,
    /// The requester's mailbox as the letter cap counts it.
    pub recipient: String,
    pub letters: Vec<SealedLetter>,
    pub at: DateTime<Utc>,
    /// The first history event: a customer's submission, or staff entering
    /// a request received by phone or mail (with who did it).
    pub event: EventKind,
    pub entered_by: Option<Actor>,
    /// The day's allowance of letters to the requester, for submissions
    /// from the public.
    pub allowance: Option<(RecipientAllowance, NaiveDate)>,
    /// For an appeal: the refused request, whose history says so.
    pub appealed: Option<Appealed>,
    /// For a request an agent made: the hash of the agent's own tracking
    /// link, beside the customer's.
    pub agent_link: Option<String>,
    /// The agent's mailbox as the letter cap counts it: their receipt, the
    /// last of `letters`, is counted against it rather than the customer's.
    pub agent_recipient: Option<String>,
}

/// The event an appeal writes on the request it appeals, naming the appeal.
#[derive(Clone)]
pub struct Appealed {
    pub request_id: i64,
    pub body: Option<crate::vault::Sealed>,
}

/// What became of a submission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// Committed, as the request row with this id.
    Stored(i64),
    /// Its letters would pass the requester's allowance for the day, so
    /// nothing of it was written.
    OverAllowance,
}

struct Job {
    prepared: Prepared,
    done: oneshot::Sender<Result<Written, DbErr>>,
}

#[derive(Clone)]
pub struct GroupCommit {
    jobs: mpsc::Sender<Job>,
}

impl GroupCommit {
    pub fn start(db: DatabaseConnection, outbox: Outbox) -> Self {
        let (jobs, queue) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(run(db, outbox, queue));
        Self { jobs }
    }

    /// Writes the submission; returns once it is committed.
    pub async fn write(&self, prepared: Prepared) -> Result<Written, DbErr> {
        let (done, committed) = oneshot::channel();
        let stopped = || DbErr::Custom("the intake writer has stopped".into());
        self.jobs.send(Job { prepared, done }).await.map_err(|_| stopped())?;
        committed.await.map_err(|_| stopped())?
    }
}

async fn run(db: DatabaseConnection, outbox: Outbox, mut queue: mpsc::Receiver<Job>) {
    while let Some(first) = queue.recv().await {
        let batch = gather(first, &mut queue, MAX_BATCH);
        let together = if batch.len() > 1 { write_together(&db, &outbox, &batch).await } else { Err(None) };
        match together {
            Ok(written) => {
                for (job, written) in batch.into_iter().zip(written) {
                    let _ = job.done.send(Ok(written));
                }
            }
            Err(error) => {
                if let Some(error) = error {
                    tracing::warn!(%error, size = batch.len(), "a batch of submissions failed; writing them one by one");
                }
                for job in batch {
                    let result = write_alone(&db, &outbox, &job.prepared).await;
                    let _ = job.done.send(result);
                }
            }
        }
    }
}

async fn write_together(
    db: &DatabaseConnection,
    outbox: &Outbox,
    batch: &[Job],
) -> Result<Vec<Written>, Option<DbErr>> {
    let txn = db.begin().await.map_err(Some)?;
    let mut written = Vec::with_capacity(batch.len());
    for job in batch {
        written.push(write(&txn, outbox, &job.prepared).await.map_err(Some)?);
    }
    txn.commit().await.map_err(Some)?;
    Ok(written)
}

async fn write_alone(db: &DatabaseConnection, outbox: &Outbox, prepared: &Prepared) -> Result<Written, DbErr> {
    let txn = db.begin().await?;
    let written = write(&txn, outbox, prepared).await?;
    txn.commit().await?;
    Ok(written)
}

/// The request, its first history event and its letters, if the
/// requester's allowance has room for the letters.
async fn write(txn: &impl ConnectionTrait, outbox: &Outbox, prepared: &Prepared) -> Result<Written, DbErr> {
    if let Some((allowance, day)) = &prepared.allowance {
        let to_agent = usize::from(prepared.agent_recipient.is_some());
        let letters = u32::try_from(prepared.letters.len() - to_agent).unwrap_or(u32::MAX);
        if !allowance.take(txn, &prepared.recipient, *day, letters).await? {
            return Ok(Written::OverAllowance);
        }
        if let Some(agent) = &prepared.agent_recipient
            && !allowance.take(txn, agent, *day, 1).await?
        {
            // Nothing of the submission is stored, so its letters to the
            // customer count nothing either.
            allowance.give_back(txn, &prepared.recipient, *day, letters).await?;
            return Ok(Written::OverAllowance);
        }
    }
    let stored = prepared.row.clone().insert(txn).await?;
    let actor_id = match &prepared.entered_by {
        Some(Actor::Staff { id, .. }) => Some(*id),
        _ => None,
    };
    history::record(txn, outbox, stored.id, prepared.event, prepared.at, None, actor_id).await?;
    if let Some(hash) = &prepared.agent_link {
        tracking_link::ActiveModel {
            request_id: Set(stored.id),
            hash: Set(hash.clone()),
            created_at: Set(prepared.at),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    if let Some(appealed) = &prepared.appealed {
        let body = appealed.body.clone();
        history::record(txn, outbox, appealed.request_id, EventKind::Appealed, prepared.at, body, None).await?;
    }
    if let Some(actor) = &prepared.entered_by {
        let detail = serde_json::json!({ "reference": stored.reference, "channel": stored.channel });
        audit::append(txn, actor, "request.entered", Some(stored.id), detail).await?;
    }
    for letter in &prepared.letters {
        outbox.enqueue_sealed(txn, Some(stored.id), letter.clone()).await?;
    }
    Ok(Written::Stored(stored.id))
}
