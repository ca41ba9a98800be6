//! Changes to a case: assigning it, notes, messages, steps along the
//! workflow and the extension (legal holds are in `hold.rs`). Each says only what is its own;
//! [`CaseDesk::versioned_change`] writes it with the version check, the
//! history event, the audit entry and the letter, in one transaction.

use app::domain::access::{self, Actor};
use app::domain::clock::{Pause, RequestClock};
use app::domain::notices::NoticeChoice;
use app::domain::register::{OptOutChange, OptOutSource};
use app::domain::workflow::{self, Outcome, Step};
use app::domain::{Channel, EventKind, ReferenceCode, RequestDetails, RequestStatus, Viewer};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

use super::notices::Notices;
use super::{CaseDesk, CaseError, Loaded, clock_state};
use crate::audit;
use crate::clocks::ClockState;
use crate::db::entities::{request, request_document};
use crate::history;
use crate::mail::{Composed, Letter};
use crate::register::{self, NewEntry, Person};
use crate::requests::{StoreError, to_json};
use crate::staff::actor;
use crate::vault::rows::ClockColumn;
use crate::vault::{Sealed, Vault};

/// Whom a case goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assignee {
    Nobody,
    Staff(i64),
}

/// The longest note, message or reason staff may write.
pub const TEXT_LIMIT: usize = 10_000;
/// What a text over [`TEXT_LIMIT`] is refused with.
pub const TOO_LONG: &str = "That is too long: keep it under 10,000 characters.";

/// One change to a case, as each kind of change describes it.
pub(super) struct Change {
    pub(super) at: DateTime<Utc>,
    /// What the change writes to the request row; `None` for notes and
    /// messages, which leave the row, and its version, alone.
    pub(super) update: Option<Versioned>,
    pub(super) event: EventKind,
    pub(super) body: Option<String>,
    pub(super) action: &'static str,
    pub(super) detail: serde_json::Value,
    pub(super) letter: Option<Composed>,
    /// The register entry an applied opt-out makes.
    pub(super) entry: Option<NewEntry>,
    /// Letters to others than the customer, each with its address: the
    /// notices of an accepted amendment.
    pub(super) notices: Vec<(String, Composed)>,
    /// Documents the customer sent, written with the event that tells of them.
    pub(super) documents: Vec<request_document::ActiveModel>,
    /// Documents held since they came through an old link, by id, which
    /// the customer confirmed: they are shown from this change on.
    pub(super) released: Vec<String>,
}

/// An event written on a second request in the same transaction, if that
/// request is still at the version it was read at: the request a merge
/// joins hears of it.
pub(super) struct Linked {
    pub(super) id: i64,
    pub(super) version: i64,
    pub(super) event: EventKind,
    pub(super) body: Option<String>,
}

/// Columns to set, only if the case is still at the version the form showed.
pub(super) struct Versioned {
    pub(super) version: i64,
    pub(super) set: Vec<(request::Column, Expr)>,
}

impl CaseDesk {
    /// Writes one change: the request row if the case is still at the
    /// version it was changed against (else nothing, and a conflict), its
    /// history event, its audit entry and its letter, all committed together;
    /// then wakes the outbox worker for the letter.
    pub(super) async fn versioned_change(
        &self,
        viewer: &Viewer,
        found: &Loaded,
        change: Change,
    ) -> Result<(), CaseError> {
        self.change_by(&actor(viewer), Some(viewer.id), found, change).await
    }

    /// [`Self::versioned_change`] by whoever makes it: a staff member, or
    /// the customer from their tracking page (no staff id, a system actor).
    pub(super) async fn change_by(
        &self,
        by: &audit::Actor,
        by_id: Option<i64>,
        found: &Loaded,
        change: Change,
    ) -> Result<(), CaseError> {
        self.change_linked(by, by_id, found, change, None).await
    }

    /// [`Self::change_by`], with `linked`'s event on another request in the
    /// same transaction (and its version raised, so that a colleague's view
    /// of it from before is refused too).
    pub(super) async fn change_linked(
        &self,
        by: &audit::Actor,
        by_id: Option<i64>,
        found: &Loaded,
        change: Change,
        linked: Option<Linked>,
    ) -> Result<(), CaseError> {
        if found.row.purged_at.is_some() {
            return Err(CaseError::Invalid("This request's personal data was removed, so it cannot be changed."));
        }
        let id = found.row.id;
        let txn = self.db.begin().await?;
        if let Some(Versioned { version, set }) = change.update {
            let mut update = request::Entity::update_many()
                .col_expr(request::Column::Version, Expr::value(version + 1))
                .col_expr(request::Column::UpdatedAt, Expr::value(change.at));
            for (column, value) in set {
                update = update.col_expr(column, value);
            }
            let updated = update
                .filter(request::Column::Id.eq(id))
                .filter(request::Column::Version.eq(version))
                .exec(&txn)
                .await?;
            if updated.rows_affected != 1 {
                return Err(CaseError::Conflict);
            }
        }
        let body = self.vault().seal_event_body(id, change.body.as_deref()).map_err(StoreError::from)?;
        history::record(&txn, self.mailer.outbox(), id, change.event, change.at, body, by_id).await?;
        if let Some(linked) = linked {
            let updated = request::Entity::update_many()
                .col_expr(request::Column::Version, Expr::value(linked.version + 1))
                .col_expr(request::Column::UpdatedAt, Expr::value(change.at))
                .filter(request::Column::Id.eq(linked.id))
                .filter(request::Column::Version.eq(linked.version))
                .exec(&txn)
                .await?;
            if updated.rows_affected != 1 {
                return Err(CaseError::Conflict);
            }
            let body = self.vault().seal_event_body(linked.id, linked.body.as_deref()).map_err(StoreError::from)?;
            history::record(&txn, self.mailer.outbox(), linked.id, linked.event, change.at, body, by_id).await?;
        }
        audit::append(&txn, by, change.action, Some(id), change.detail).await?;
        for document in change.documents {
            request_document::Entity::insert(document).exec(&txn).await?;
        }
        if !change.released.is_empty() {
            request_document::Entity::update_many()
                .col_expr(request_document::Column::HeldUntil, Expr::value(Option::<DateTime<Utc>>::None))
                .filter(request_document::Column::RequestId.eq(id))
                .filter(request_document::Column::Uid.is_in(change.released))
                .exec(&txn)
                .await?;
        }
        if let Some(entry) = &change.entry {
            register::record(&txn, self.vault(), entry).await?;
        }
        if let Some(letter) = change.letter {
            // An agent whose authority staff verified is sent a copy of each
            // letter; until then they have only their receipt.
            if let Some(agent) = found.agent.as_ref().filter(|_| found.row.agent_verified_at.is_some()) {
                self.mailer.enqueue(&txn, Some(id), &agent.email, letter.clone()).await?;
            }
            self.mailer.enqueue_to(&txn, Some(id), found.recipient(), letter).await?;
        }
        for (recipient, notice) in change.notices {
            self.mailer.enqueue(&txn, Some(id), &recipient, notice).await?;
        }
        txn.commit().await?;
        self.mailer.wake();
        Ok(())
    }

    pub async fn assign(
        &self,
        viewer: &Viewer,
        reference: &ReferenceCode,
        version: i64,
        to: Assignee,
    ) -> Result<(), CaseError> {
        let found = self.load(reference).await?;
        let target = match to {
            Assignee::Nobody => None,
            Assignee::Staff(id) => Some(id),
        };
        // A stale view is told as such, and the page shown again says who
        // holds the case now. Otherwise the rule is asked about the assignee
        // the write replaces: the write is conditional on this version.
        at_version(&found, version)?;
        if !access::may_assign(Actor::Staff(viewer), found.row.assignee_id, target) {
            return Err(CaseError::Forbidden);
        }
        let (assignee_id, body) = match to {
            Assignee::Nobody => (None, history::UNASSIGNED.to_owned()),
            Assignee::Staff(id) => {
                let member = self
                    .staff
                    .list()
                    .await?
                    .into_iter()
                    .find(|member| member.id == id && member.takes_cases())
                    .ok_or(CaseError::Invalid("Choose an active colleague."))?;
                (Some(id), history::assigned_text(&member.name))
            }
        };
        let change = Change {
            at: Utc::now(),
            update: Some(Versioned { version, set: vec![(request::Column::AssigneeId, Expr::value(assignee_id))] }),
            event: EventKind::Assigned,
            body: Some(body),
            action: "request.assigned",
            detail: serde_json::json!({ "assignee_id": assignee_id }),
            letter: None,
            entry: None,
            notices: Vec::new(),
            documents: Vec::new(),
            released: Vec::new(),
        };
        self.versioned_change(viewer, &found, change).await
    }

    /// An internal note: never shown to the customer.
    pub async fn note(&self, viewer: &Viewer, reference: &ReferenceCode, body: &str) -> Result<(), CaseError> {
        let body = text(body, "Write the note first.")?;
        let found = self.load(reference).await?;
        let change = Change {
            at: Utc::now(),
            update: None,
            event: EventKind::Note,
            body: Some(body.to_owned()),
            action: "request.note",
            detail: serde_json::json!({ "note": self.vault().digest(body) }),
            letter: None,
            entry: None,
            notices: Vec::new(),
            documents: Vec::new(),
            released: Vec::new(),
        };
        self.versioned_change(viewer, &found, change).await
    }

    /// A message to the customer: emailed, and shown on the tracking page.
    pub async fn message(&self, viewer: &Viewer, reference: &ReferenceCode, body: &str) -> Result<(), CaseError> {
        let body = text(body, "Write the message first.")?;
        let found = self.load(reference).await?;
        let letter = self.mailer.compose_for(
            &Letter::CaseMessage { name: &found.name, reference: &found.reference, kind: found.kind, body },
            found.by_post(),
            found.row.lang(),
        )?;
        let change = Change {
            at: Utc::now(),
            update: None,
            event: EventKind::Message,
            body: Some(body.to_owned()),
            action: "request.message",
            detail: serde_json::json!({ "message": self.vault().digest(body) }),
            letter: Some(letter),
            entry: None,
            notices: Vec::new(),
            documents: Vec::new(),
            released: Vec::new(),
        };
        self.versioned_change(viewer, &found, change).await
    }

    /// For an opt-out's letter: which holders of a joint account it covers,
    /// from what the customer told us when they asked.
    fn opt_out_covers(&self, found: &Loaded) -> Result<Option<String>, CaseError> {
        let corrupt = |reason: String| StoreError::Corrupt { id: found.row.id, reason };
        let details = self.vault().open_details(&found.row).map_err(|e| corrupt(e.to_string()))?;
        let details: RequestDetails = serde_json::from_str(&details).map_err(|e| corrupt(e.to_string()))?;
        Ok(match details {
            RequestDetails::OptOut { joint_account, other_holders, .. } => {
                Some(joint_account.covers(&other_holders, found.row.lang()))
            }
            _ => None,
        })
    }

    /// Moves the case one step along the state machine; an accepted
    /// amendment tells everyone who may be told.
    pub async fn step(
        &self,
        viewer: &Viewer,
        reference: &ReferenceCode,
        version: i64,
        step: &Step,
    ) -> Result<RequestStatus, CaseError> {
        self.step_telling(viewer, reference, version, step, &NoticeChoice::Everyone).await
    }

    /// Moves the case one step along the state machine; an accepted
    /// amendment sends its notices to those `choice` names, in the same
    /// transaction.
    pub async fn step_telling(
        &self,
        viewer: &Viewer,
        reference: &ReferenceCode,
        version: i64,
        step: &Step,
        choice: &NoticeChoice,
    ) -> Result<RequestStatus, CaseError> {
        let found = self.load(reference).await?;
        at_version(&found, version)?;
        let next = workflow::next(found.kind, found.status, step, self.gate(viewer, &found).await?)?;
        let notices = match step {
            Step::Resolve(outcome) => self.notices(&found, outcome, choice).await?,
            _ => Notices::default(),
        };
        let vault = self.vault();
        let (state, clock) = self.clock_after(&found, step)?;
        let letter = self.step_letter(&found, step, &notices.told, clock.as_ref())?;
        let now = Utc::now();
        let at = found.reference.as_str();
        let sealed_clock = clock.as_ref().map(|clock| seal_clock(vault, at, ClockColumn::Clock, clock)).transpose()?;
        let mut set = vec![
            (request::Column::Status, Expr::value(next.as_str())),
            (request::Column::ClockState, Expr::value(seal_clock(vault, at, ClockColumn::State, &state)?)),
            (request::Column::DueOn, Expr::value(clock.as_ref().map(RequestClock::due))),
            (request::Column::Clock, Expr::value(sealed_clock)),
        ];
        if matches!(step, Step::MarkVerified) {
            set.push((request::Column::VerifiedAt, Expr::value(now)));
            set.push((request::Column::VerificationHash, Expr::value(Option::<String>::None)));
        }
        if !next.is_open() {
            let outcome = match step {
                Step::Resolve(outcome) => Some(outcome),
                _ => None,
            };
            let outcome = vault.seal_outcome(at, outcome).map_err(StoreError::from)?;
            set.push((request::Column::ResolvedAt, Expr::value(now)));
            set.push((request::Column::Outcome, Expr::value(outcome.outcome)));
            set.push((request::Column::OutcomeTag, Expr::value(outcome.tag)));
            set.push((request::Column::OutcomeCategory, Expr::value(outcome.category)));
        }
        let change = Change {
            at: now,
            update: Some(Versioned { version, set }),
            event: step.event(),
            body: history::step_text(step),
            action: "request.status_changed",
            detail: serde_json::json!({
                "from": found.status.as_str(),
                "to": next.as_str(),
                "step": vault.digest(&to_json(step)?),
                // How many were told: the notices themselves are outbox rows.
                "notices": notices.letters.len(),
            }),
            letter,
            entry: match step {
                Step::Resolve(Outcome::OptOutApplied { effective_on }) => {
                    Some(self.register_entry(&found, Some(viewer.id), *effective_on)?)
                }
                _ => None,
            },
            notices: notices.letters,
            documents: Vec::new(),
            released: Vec::new(),
        };
        self.versioned_change(viewer, &found, change).await?;
        Ok(next)
    }

    /// The letter `step` would send the customer, composed exactly as it
    /// will go, without changing anything: what staff confirm before a
    /// final letter is sent. `None` for a step that sends none.
    pub async fn preview_step(
        &self,
        viewer: &Viewer,
        reference: &ReferenceCode,
        version: i64,
        step: &Step,
        choice: &NoticeChoice,
    ) -> Result<Option<Composed>, CaseError> {
        let found = self.load(reference).await?;
        at_version(&found, version)?;
        workflow::next(found.kind, found.status, step, self.gate(viewer, &found).await?)?;
        let told = match step {
            Step::Resolve(outcome) => self.notices(&found, outcome, choice).await?.told,
            _ => Vec::new(),
        };
        let (_, clock) = self.clock_after(&found, step)?;
        self.step_letter(&found, step, &told, clock.as_ref())
    }

    /// The clock's state once `step` is taken, and the clock it gives:
    /// waiting on the customer ends with whatever step comes next, and
    /// asking them starts a wait.
    fn clock_after(&self, found: &Loaded, step: &Step) -> Result<(ClockState, Option<RequestClock>), CaseError> {
        let today = self.clocks.today();
        let mut state = clock_state(self.vault(), &found.row)?;
        if let Some(asked) = state.pauses.open_since.take() {
            state.pauses.closed.push(Pause { asked, answered: today });
        }
        if matches!(step, Step::AskCustomer { .. }) {
            state.pauses.open_since = Some(today);
        }
        let clock = self.clocks.compute(found.kind, found.row.received_at, &state);
        Ok((state, clock))
    }

    /// The letter `step` sends the customer, if any; `told` names those
    /// sent a notice of an accepted amendment.
    fn step_letter(
        &self,
        found: &Loaded,
        step: &Step,
        told: &[String],
        clock: Option<&RequestClock>,
    ) -> Result<Option<Composed>, CaseError> {
        let (name, reference) = (&found.name, &found.reference);
        let covers = match step {
            Step::Resolve(Outcome::OptOutApplied { .. }) => self.opt_out_covers(found)?,
            _ => None,
        };
        let rules = self.clocks.rules();
        let appealed = match step {
            Step::Resolve(Outcome::AppealGranted { .. } | Outcome::AppealDenied { .. }) => {
                Some(self.appeal_facts(found)?)
            }
            _ => None,
        };
        let letter = match step {
            Step::MarkVerified | Step::StartWork | Step::Resume => None,
            Step::AskCustomer { what } => {
                let pauses = clock.is_some_and(|c| c.due() > self.clocks.today());
                Some(Letter::AwaitingCustomer { name, reference, kind: found.kind, what, pauses })
            }
            Step::Resolve(outcome) => Some(Letter::Outcome {
                name,
                reference,
                outcome,
                told,
                covers: covers.as_deref(),
                appeal_offered: workflow::appeal_open(Some(outcome.class()), rules.appeals_offered()),
                appeal_of: appealed.as_ref().map(|(of, _)| of.as_str()),
                attorneys_general: appealed.as_ref().map_or(&[], |(_, offices)| offices.as_slice()),
            }),
            Step::Close { reason, note } => {
                Some(Letter::CaseClosed { name, reference, kind: found.kind, reason: *reason, note })
            }
        };
        Ok(letter.map(|letter| self.mailer.compose_for(&letter, found.by_post(), found.row.lang())).transpose()?)
    }

    /// Grants the one extension the governing rule allows, and sends the
    /// customer the notice it requires.
    pub async fn extend(
        &self,
        viewer: &Viewer,
        reference: &ReferenceCode,
        version: i64,
        reason: &str,
    ) -> Result<(), CaseError> {
        let found = self.load(reference).await?;
        at_version(&found, version)?;
        if !found.status.is_open() {
            return Err(CaseError::Invalid("A finished request cannot be extended."));
        }
        let clock = self.clock_of(&found)?.ok_or(CaseError::Invalid("No deadline applies to this request."))?;
        let extension = clock.grant_extension(self.clocks.today(), reason)?;
        let vault = self.vault();
        let mut state = clock_state(vault, &found.row)?;
        state.extension_reason = Some(extension.reason.clone());
        let extended = self
            .clocks
            .compute(found.kind, found.row.received_at, &state)
            .ok_or(CaseError::Invalid("No deadline applies to this request."))?;
        let letter = self.mailer.compose_for(
            &Letter::Extension {
                name: &found.name,
                reference,
                kind: found.kind,
                reason: &extension.reason,
                old_date: app::domain::format::long_date_in(clock.due(), found.row.lang()),
                new_date: app::domain::format::long_date_in(extended.due(), found.row.lang()),
                citation: &extension.respond_by.citation,
            },
            found.by_post(),
            found.row.lang(),
        )?;
        let at = found.reference.as_str();
        let set = vec![
            (request::Column::ClockState, Expr::value(seal_clock(vault, at, ClockColumn::State, &state)?)),
            (request::Column::DueOn, Expr::value(extended.due())),
            (request::Column::Clock, Expr::value(seal_clock(vault, at, ClockColumn::Clock, &extended)?)),
        ];
        let change = Change {
            at: Utc::now(),
            update: Some(Versioned { version, set }),
            event: EventKind::Extended,
            body: Some(history::extension_text(extended.due(), &extension.reason)),
            action: "request.extended",
            detail: serde_json::json!({ "until": extended.due(), "reason": vault.digest(&extension.reason) }),
            letter: Some(letter),
            entry: None,
            notices: Vec::new(),
            documents: Vec::new(),
            released: Vec::new(),
        };
        self.versioned_change(viewer, &found, change).await
    }
}

impl CaseDesk {
    /// The register entry that an opt-out request, applied from
    /// `effective_on`, makes: who asked, for which holders, what it covers
    /// and where it came from.
    fn register_entry(&self, found: &Loaded, by: Option<i64>, effective_on: NaiveDate) -> Result<NewEntry, CaseError> {
        let corrupt = |reason: String| StoreError::Corrupt { id: found.row.id, reason };
        let vault = self.vault();
        let contact = vault.open_contact(&found.row).map_err(|e| corrupt(e.to_string()))?;
        let details = vault.open_details(&found.row).map_err(|e| corrupt(e.to_string()))?;
        let RequestDetails::OptOut { scope, joint_account, gpc, other_holders } =
            serde_json::from_str(&details).map_err(|e| corrupt(e.to_string()))?
        else {
            return Err(CaseError::Invalid("Only an opt-out request can be applied as an opt-out."));
        };
        let channel = Channel::parse(&found.row.channel).ok_or_else(|| corrupt("channel".into()))?;
        Ok(NewEntry {
            opt_out: None,
            request_id: Some(found.row.id),
            change: OptOutChange::InEffect,
            scope,
            joint_account,
            source: OptOutSource::of_request(channel, gpc),
            effective_on,
            recorded_by: by,
            person: Person {
                holders: app::domain::register::holders_covered(&contact.full_name, other_holders, joint_account),
                full_name: contact.full_name,
                email: contact.email,
                postal_address: contact.postal_address,
                account_number: contact.account_number,
            },
            reason: None,
        })
    }
}

/// Refuses a change made against an older view of the case before any work
/// is done for it; the write checks again.
pub(super) fn at_version(found: &Loaded, version: i64) -> Result<(), CaseError> {
    if found.row.version == version { Ok(()) } else { Err(CaseError::Conflict) }
}

pub(super) fn text<'a>(body: &'a str, missing: &'static str) -> Result<&'a str, CaseError> {
    let body = body.trim();
    if body.is_empty() {
        Err(CaseError::Invalid(missing))
    } else if body.chars().count() > TEXT_LIMIT {
        Err(CaseError::Invalid(TOO_LONG))
    } else {
        Ok(body)
    }
}

/// The clock or its state as stored: sealed, since both hold an
/// extension's reason.
pub(super) fn seal_clock(
    vault: &Vault,
    reference: &str,
    column: ClockColumn,
    value: &impl serde::Serialize,
) -> Result<Sealed, StoreError> {
    Ok(vault.seal_clock(reference, column, &to_json(value)?)?)
}
