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
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
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

/// The earliest request before `id` of the same kind and person that is
/// still open.
async fn earlier_open(db: &DatabaseConnection, id: i64, who: &Identity) -> Result<Option<request::Model>, StoreError> {
    let Some(query) = earlier_open_query(id, who) else { return Ok(None) };
    Ok(query.one(db).await?)
}

/// The lookup of [`earlier_open`]. Each condition is an equality on an
/// indexed blind index (the account's together with the email's), so it
/// reads a handful of rows however many requests there are.
fn earlier_open_query(id: i64, who: &Identity) -> Option<Select<request::Entity>> {
    let mut same_person = Condition::any();
    if let Some(email) = &who.email_index {
        same_person = same_person.add(request::Column::EmailIndex.eq(email.as_str()));
    }
    if let Some(account) = &who.account_index {
        // Joint holders share an account number, each with their own right
        // to ask: the number alone names the person only where one of the
        // two requests gave no email address (a letter or a call) to tell
        // them apart.
        let same_account = Condition::all().add(request::Column::AccountIndex.eq(account.as_str()));
        same_person = same_person.add(match who.email_index {
            Some(_) => same_account.add(request::Column::EmailIndex.is_null()),
            None => same_account,
        });
    }
    // Two appeals by one person appeal two refusals: never the same request.
    if same_person.is_empty() || who.kind == RequestKind::Appeal {
        return None;
    }
    let open: Vec<&str> =
        RequestStatus::ALL.iter().filter(|status| status.is_open()).map(|status| status.as_str()).collect();
    Some(
        request::Entity::find()
            .filter(same_person)
            .filter(request::Column::Id.lt(id))
            .filter(request::Column::Kind.eq(who.kind.as_str()))
            .filter(request::Column::Status.is_in(open))
            .order_by_asc(request::Column::Id)
            .limit(1),
    )
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
        let plan = crate::db::plan_of(earlier_open_query(1_000, &who).expect("a lookup")).await;
        let searches: Vec<&String> = plan.iter().filter(|step| step.contains("SEARCH requests")).collect();
        assert_eq!(searches.len(), 2, "{plan:#?}");
        assert!(searches.iter().any(|step| step.contains("email_index=?") && !step.contains("account")), "{plan:#?}");
        assert!(searches.iter().any(|step| step.contains("account_index=? AND email_index=?")), "{plan:#?}");
        assert!(!plan.iter().any(|step| step.starts_with("SCAN")), "{plan:#?}");
    }
}
