//! Group commit. Every acknowledged submission must be on disk, and on
//! SQLite each commit waits for the disk; so submissions that arrive while
//! a commit is under way are gathered and written together in the next
//! transaction, and each is acknowledged once that one commit is done.
//! Should anything in a batch fail, its submissions are written again one
//! by one, so one bad submission never takes the others down with it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryTrait, Set, TransactionTrait};
use tokio::sync::{mpsc, oneshot};

use app::domain::EventKind;

use crate::audit::{self, Actor};
use crate::db::batch::gather;
use crate::db::entities::{request, tracking_link};
use crate::history::{self, NewEvent};
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
    let prepared: Vec<&Prepared> = batch.iter().map(|job| &job.prepared).collect();
    let written = write(&txn, outbox, &prepared).await.map_err(Some)?;
    txn.commit().await.map_err(Some)?;
    Ok(written)
}

async fn write_alone(db: &DatabaseConnection, outbox: &Outbox, prepared: &Prepared) -> Result<Written, DbErr> {
    let txn = db.begin().await?;
    let written = write(&txn, outbox, &[prepared]).await?;
    txn.commit().await?;
    written.into_iter().next().ok_or_else(|| DbErr::Custom("a submission written alone was not written".into()))
}

/// The requests of a batch, their first history events and their letters,
/// for each whose requester's allowance has room for its letters. Each kind
/// of row goes in one statement for the whole batch: on SQLite every
/// statement is a round trip to the one writer's thread, and six of them a
/// submission were most of that thread's work (perf, 2026-12-08).
async fn write(txn: &impl ConnectionTrait, outbox: &Outbox, batch: &[&Prepared]) -> Result<Vec<Written>, DbErr> {
    let mut admitted = Vec::with_capacity(batch.len());
    for (place, prepared) in batch.iter().enumerate() {
        if within_allowance(txn, prepared).await? {
            admitted.push(place);
        }
    }
    let rows: Vec<&Prepared> = admitted.iter().map(|&place| batch[place]).collect();
    let ids = insert_requests(txn, &rows).await?;
    let stored: Vec<(&Prepared, i64)> = rows.into_iter().zip(ids.iter().copied()).collect();
    let staff_id = |prepared: &Prepared| match &prepared.entered_by {
        Some(Actor::Staff { id, .. }) => Some(*id),
        _ => None,
    };
    let first_events = stored.iter().map(|&(prepared, id)| NewEvent {
        request_id: id,
        kind: prepared.event,
        at: prepared.at,
        body: None,
        actor_id: staff_id(prepared),
    });
    let appealed = stored.iter().filter_map(|&(prepared, _)| {
        let appealed = prepared.appealed.as_ref()?;
        Some(NewEvent {
            request_id: appealed.request_id,
            kind: EventKind::Appealed,
            at: prepared.at,
            body: appealed.body.clone(),
            actor_id: None,
        })
    });
    history::record_all(txn, outbox, first_events.chain(appealed).collect()).await?;
    let agent_links: Vec<_> = stored
        .iter()
        .filter_map(|&(prepared, id)| {
            let hash = prepared.agent_link.as_ref()?;
            Some(tracking_link::ActiveModel {
                request_id: Set(id),
                hash: Set(hash.clone()),
                created_at: Set(prepared.at),
                ..Default::default()
            })
        })
        .collect();
    if !agent_links.is_empty() {
        tracking_link::Entity::insert_many(agent_links).exec_without_returning(txn).await?;
    }
    for &(prepared, id) in &stored {
        if let Some(actor) = &prepared.entered_by {
            let detail = serde_json::json!({ "reference": reference_of(prepared)?, "channel": prepared.row.channel.try_as_ref() });
            audit::append(txn, actor, "request.entered", Some(id), detail).await?;
        }
    }
    let letters: Vec<_> = stored
        .iter()
        .flat_map(|&(prepared, id)| prepared.letters.iter().map(move |letter| (Some(id), letter.clone())))
        .collect();
    outbox.enqueue_sealed(txn, letters).await?;
    let mut written = vec![Written::OverAllowance; batch.len()];
    for (place, id) in admitted.into_iter().zip(ids) {
        written[place] = Written::Stored(id);
    }
    Ok(written)
}

/// Takes the submission's letters from its requester's allowance for the
/// day, and the agent's receipt from the agent's; `false`, with nothing
/// taken, when either has no room left.
async fn within_allowance(txn: &impl ConnectionTrait, prepared: &Prepared) -> Result<bool, DbErr> {
    let Some((allowance, day)) = &prepared.allowance else {
        return Ok(true);
    };
    let to_agent = usize::from(prepared.agent_recipient.is_some());
    let letters = u32::try_from(prepared.letters.len() - to_agent).unwrap_or(u32::MAX);
    if !allowance.take(txn, &prepared.recipient, *day, letters).await? {
        return Ok(false);
    }
    match &prepared.agent_recipient {
        Some(agent) if !allowance.take(txn, agent, *day, 1).await? => {
            // Nothing of the submission is stored, so its letters to the
            // customer count nothing either.
            allowance.give_back(txn, &prepared.recipient, *day, letters).await?;
            Ok(false)
        }
        _ => Ok(true),
    }
}

/// The request rows in one statement; their ids, in the order given.
async fn insert_requests(txn: &impl ConnectionTrait, rows: &[&Prepared]) -> Result<Vec<i64>, DbErr> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut insert = request::Entity::insert_many(rows.iter().map(|prepared| prepared.row.clone())).into_query();
    insert.returning(Query::returning().columns([request::Column::Id, request::Column::Reference]));
    let written = txn.query_all_raw(txn.get_database_backend().build(&insert)).await?;
    // RETURNING promises no order: each id finds its row by the reference.
    let mut ids = written
        .iter()
        .map(|row| Ok((row.try_get::<String>("", "reference")?, row.try_get::<i64>("", "id")?)))
        .collect::<Result<HashMap<_, _>, DbErr>>()?;
    rows.iter()
        .map(|prepared| {
            let reference = reference_of(prepared)?;
            ids.remove(reference)
                .ok_or_else(|| DbErr::Custom(format!("request {reference} did not come back from its insert")))
        })
        .collect()
}

fn reference_of(prepared: &Prepared) -> Result<&str, DbErr> {
    prepared
        .row
        .reference
        .try_as_ref()
        .map(String::as_str)
        .ok_or_else(|| DbErr::Custom("a submission came without its reference".into()))
}
