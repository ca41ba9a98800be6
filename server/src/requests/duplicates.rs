//! Spotting a likely duplicate as a request arrives: an earlier request of
//! the same kind, from the same person (the same normalised email address,
//! or the same account number where an address does not tell two joint
//! holders apart), still open. The new request is only marked and
//! linked, never refused or held back: the mark is written after the
//! request, its receipt and its verification letter are committed, and a
//! failure to mark is logged and forgotten.

use app::domain::{EventKind, RequestKind, RequestStatus};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, Select,
    TransactionTrait,
};

use super::StoreError;
use crate::audit;
use crate::db::entities::request;
use crate::history;
use crate::mail::Outbox;

/// Who a new request is from, as the blind indexes know them: what the
/// lookup compares, so nothing is decrypted to find a duplicate.
#[derive(Clone, Debug)]
pub(super) struct Identity {
    pub(super) kind: RequestKind,
    pub(super) email_index: Option<String>,
    pub(super) account_index: Option<String>,
}

/// Marks request `id` as the likely duplicate of the earliest open request
/// of its kind from the same person, if there is one. The lookup reads
/// through `read` (see [`crate::db::reader`]), so that it never waits in
/// the single writer's queue behind the submissions still coming in; only
/// a mark is written through `db`.
pub(super) async fn mark(read: &DatabaseConnection, db: &DatabaseConnection, outbox: &Outbox, id: i64, who: &Identity) {
    if let Err(error) = try_mark(read, db, outbox, id, who).await {
        // The request stands, with its letters; only the hint is lost.
        tracing::warn!(%error, id, "could not check a new request for duplicates");
    }
}

async fn try_mark(
    read: &DatabaseConnection,
    db: &DatabaseConnection,
    outbox: &Outbox,
    id: i64,
    who: &Identity,
) -> Result<(), StoreError> {
    let Some(earlier) = earlier_open(read, id, who).await? else { return Ok(()) };
    let txn = db.begin().await?;
    // Only the link is written: no version is raised, so a colleague who
    // opened the new case a moment ago is not told it changed.
    request::Entity::update_many()
        .col_expr(request::Column::DuplicateOf, Expr::value(Some(earlier.id)))
        .filter(request::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let body = outbox.vault().seal_event_body(id, Some(&format!("Possibly repeats {}", earlier.reference)))?;
    history::record(&txn, outbox, id, EventKind::PossibleDuplicate, Utc::now(), body, None).await?;
    let detail = serde_json::json!({ "duplicate_of": earlier.reference });
    audit::append(&txn, &audit::Actor::System("duplicates"), "request.possible_duplicate", Some(id), detail).await?;
    txn.commit().await?;
    Ok(())
}

/// What the check reads of a request from the same person.
#[derive(Debug, FromQueryResult)]
struct Candidate {
    id: i64,
    reference: String,
    kind: String,
    status: String,
}

/// The earliest request before `id` of the same kind and person that is
/// still open. The kind, the status and the order are decided here rather
/// than in SQL: asked for all of it in one statement (either index of the
/// person, of the kind, open, the earliest), PostgreSQL planned the lookup
/// once, while the table was empty, to walk an index of every request of
/// the kind, and kept that plan as the table grew: 3,176 rows read for
/// each submission after 3,176 opt-outs on a fresh database (`auto_explain`,
/// 2026-12-07), a third of PostgreSQL's intake.
async fn earlier_open(db: &DatabaseConnection, id: i64, who: &Identity) -> Result<Option<Candidate>, StoreError> {
    let mut earliest: Option<Candidate> = None;
    for lookup in same_person_lookups(who) {
        for candidate in lookup.into_model::<Candidate>().all(db).await? {
            let open = RequestStatus::parse(&candidate.status).is_some_and(|status| status.is_open());
            if candidate.id < id
                && candidate.kind == who.kind.as_str()
                && open
                && earliest.as_ref().is_none_or(|earliest| candidate.id < earliest.id)
            {
                earliest = Some(candidate);
            }
        }
    }
    Ok(earliest)
}

/// The lookups of [`earlier_open`]: each an equality on one person's blind
/// index (the account's together with the email's) and nothing else, so it
/// reads that person's few requests however many there are, whatever the
/// table held when the statement was planned.
fn same_person_lookups(who: &Identity) -> Vec<Select<request::Entity>> {
    // Two appeals by one person appeal two refusals: never the same request.
    if who.kind == RequestKind::Appeal {
        return Vec::new();
    }
    let mut conditions = Vec::new();
    if let Some(email) = &who.email_index {
        conditions.push(Condition::all().add(request::Column::EmailIndex.eq(email.as_str())));
    }
    if let Some(account) = &who.account_index {
        // Joint holders share an account number, each with their own right
        // to ask: the number alone names the person only where one of the
        // two requests gave no email address (a letter or a call) to tell
        // them apart.
        let same_account = Condition::all().add(request::Column::AccountIndex.eq(account.as_str()));
        conditions.push(match who.email_index {
            Some(_) => same_account.add(request::Column::EmailIndex.is_null()),
            None => same_account,
        });
    }
    conditions
        .into_iter()
        .map(|condition| {
            request::Entity::find()
                .select_only()
                .columns([
                    request::Column::Id,
                    request::Column::Reference,
                    request::Column::Kind,
                    request::Column::Status,
                ])
                .filter(condition)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every way the lookup may find a person is a search of an index on
    /// all its terms: an account number shared by many requests (a joint
    /// account, or one sender many times) once made SQLite read each of
    /// them at every submission, and intake slowed with every request.
    #[tokio::test]
    async fn the_duplicate_lookup_searches_its_indexes() {
        let who = Identity {
            kind: RequestKind::OptOut,
            email_index: Some("email".into()),
            account_index: Some("account".into()),
        };
        let [by_email, by_account] = <[_; 2]>::try_from(same_person_lookups(&who)).expect("two lookups");
        for (lookup, index) in [(by_email, "(email_index=?)"), (by_account, "(account_index=? AND email_index=?)")] {
            let plan = crate::db::plan_of(lookup).await;
            assert!(plan.iter().any(|step| step.starts_with("SEARCH requests") && step.contains(index)), "{plan:#?}");
            assert!(!plan.iter().any(|step| step.starts_with("SCAN")), "{plan:#?}");
        }
    }

    async fn buffers_read(db: &DatabaseConnection, name: &str, lookup: &Select<request::Entity>) -> u64 {
        use sea_orm::QueryTrait;
        crate::db::buffers_read(db, name, lookup.build(sea_orm::DbBackend::Postgres)).await
    }

    /// PostgreSQL plans a statement that a connection keeps prepared from
    /// what the table held then, and keeps that plan until the table is
    /// analysed. A portal started on an empty database plans its duplicate
    /// lookups on the first submissions: asked as one statement with the
    /// kind, the open statuses and the order, that plan walked an index of
    /// every opt-out, and each submission read all the earlier ones (4,940
    /// buffers here).
    #[tokio::test]
    async fn a_lookup_planned_on_an_empty_table_still_reads_only_the_persons_requests() {
        use sea_orm::{ConnectionTrait, QueryTrait};
        let Some((db, url)) = crate::db::fresh_postgres().await else { return };
        // Only this test's own runs may plan the lookups again.
        db.execute_unprepared("ALTER TABLE requests SET (autovacuum_enabled = false)").await.expect("autovacuum off");
        let who = Identity {
            kind: RequestKind::OptOut,
            email_index: Some("nobody-seeded".into()),
            account_index: Some("no-account-seeded".into()),
        };
        let lookups = same_person_lookups(&who);
        for (n, lookup) in lookups.iter().enumerate() {
            let sql = lookup.build(sea_orm::DbBackend::Postgres).sql;
            db.execute_unprepared(&format!("PREPARE lookup_{n} AS {sql}")).await.expect("prepared");
            // Past the fifth run PostgreSQL may keep one plan for any values.
            for _ in 0..8 {
                buffers_read(&db, &format!("lookup_{n}"), lookup).await;
            }
        }
        let mut config = crate::config::Config::for_tests(url);
        config.data_kek = Some(crate::vault::KeyEncryptionKey::generate());
        crate::seed::run(&config, 3_000).await.expect("seeded");
        // A fresh portal's first day: opt-outs, all still open.
        db.execute_unprepared("UPDATE requests SET kind = 'opt_out', status = 'received'").await.expect("all open");
        for (n, lookup) in lookups.iter().enumerate() {
            let read = buffers_read(&db, &format!("lookup_{n}"), lookup).await;
            assert!(read < 20, "lookup {n} read {read} buffers of 3,000 requests to find none of the person's");
        }
    }
}
