//! What staff decide about a request marked at intake as the likely
//! duplicate of an earlier open one: merge it there, or keep it separate.
//! The state machine says whether the decision may be taken; the change is
//! written like any other, with the earlier request told in the same
//! transaction.

use app::domain::metrics::OutcomeClass;
use app::domain::workflow::{self, DuplicateDecision};
use app::domain::{ReferenceCode, Viewer};
use chrono::Utc;
use sea_orm::EntityTrait;
use sea_orm::sea_query::Expr;

use super::change::{Change, Linked, Versioned};
use super::{CaseDesk, CaseError, Loaded};
use crate::db::entities::request;
use crate::mail::Letter;
use crate::requests::StoreError;
use crate::staff::actor;

/// Told when the form is sent for a request no longer marked.
pub const NOT_MARKED: &str = "This request is not marked as a possible duplicate.";

impl CaseDesk {
    /// Merges the marked request into the earlier one it repeats, or keeps
    /// it separate. A merge ends it as merged (its own status and outcome),
    /// joins its history to the earlier request's timeline, leaves the
    /// earlier clock in force, and tells the customer which reference to
    /// follow.
    pub async fn decide_duplicate(
        &self,
        viewer: &Viewer,
        reference: &ReferenceCode,
        version: i64,
        decision: DuplicateDecision,
    ) -> Result<(), CaseError> {
        let found = self.load(reference).await?;
        if found.row.version != version {
            return Err(CaseError::Conflict);
        }
        let earlier_id = found.row.duplicate_of.ok_or(CaseError::NotNow(NOT_MARKED))?;
        let earlier = self.load_by_id(earlier_id).await?;
        let next = workflow::duplicate_next(found.status, earlier.status, decision)?;
        let now = Utc::now();
        let mut set = vec![(request::Column::DuplicateOf, Expr::value(Option::<i64>::None))];
        let (letter, linked) = match decision {
            DuplicateDecision::KeepSeparate => (None, None),
            DuplicateDecision::Merge => {
                set.extend([
                    (request::Column::Status, Expr::value(next.as_str())),
                    (request::Column::MergedInto, Expr::value(Some(earlier.row.id))),
                    (request::Column::ResolvedAt, Expr::value(now)),
                    // No sealed outcome: a merge decides nothing about the
                    // person's records; the earlier request will.
                    (request::Column::OutcomeTag, Expr::value(OutcomeClass::Merged.as_str())),
                ]);
                let letter = self.mailer.compose_for(
                    &Letter::Merged {
                        name: &found.name,
                        reference: &found.reference,
                        kind: found.kind,
                        earlier: &earlier.reference,
                    },
                    found.by_post(),
                    found.row.lang(),
                )?;
                let linked = Linked {
                    id: earlier.row.id,
                    version: earlier.row.version,
                    event: app::domain::EventKind::MergedHere,
                    body: Some(format!("Request {} is now part of this one.", found.reference)),
                };
                (Some(letter), Some(linked))
            }
        };
        let body = match decision {
            DuplicateDecision::Merge => {
                format!("Joined with request {}: please follow that request from now on.", earlier.reference)
            }
            DuplicateDecision::KeepSeparate => format!("Kept apart from {}.", earlier.reference),
        };
        let change = Change {
            at: now,
            update: Some(Versioned { version, set }),
            event: decision.event(),
            body: Some(body),
            action: match decision {
                DuplicateDecision::Merge => "request.merged",
                DuplicateDecision::KeepSeparate => "request.kept_separate",
            },
            detail: serde_json::json!({
                "from": found.status.as_str(),
                "to": next.as_str(),
                "earlier": earlier.reference.as_str(),
            }),
            letter,
            entry: None,
            notices: Vec::new(),
            documents: Vec::new(),
            released: Vec::new(),
        };
        self.change_linked(&actor(viewer), Some(viewer.id), &found, change, linked).await
    }

    /// A request by its row id, read where changes are written.
    async fn load_by_id(&self, id: i64) -> Result<Loaded, CaseError> {
        let row = request::Entity::find_by_id(id).one(&self.db).await?.ok_or(CaseError::NotFound)?;
        let reference = ReferenceCode::parse(&row.reference)
            .map_err(|e| StoreError::Corrupt { id: row.id, reason: e.to_string() })?;
        self.load(&reference).await
    }
}
