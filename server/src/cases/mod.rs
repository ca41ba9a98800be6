//! Case handling by staff: the queue, one case, and every change to it.
//! Each change checks the case's version, writes its history event, its
//! audit entry and any letter in one transaction.

mod queue;

use std::collections::HashMap;

use app::domain::case::{CaseEvent, CaseView, LetterState, LetterStatus, StaffMember};
use app::domain::clock::{ExtensionError, Pause, RequestClock};
use app::domain::request::Choice;
use app::domain::workflow::{self, Outcome, Step, StepError};
use app::domain::{Channel, Contact, EventKind, ReferenceCode, RequestDetails, RequestKind, RequestStatus, Viewer};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use crate::audit;
use crate::db::entities::{outbox, request, request_event};
use crate::mail::{Letter, outbox as outbox_rows};
use crate::requests::clocks::{ClockState, Clocks};
use crate::requests::{Mailing, StoreError, long_day, record_event_by, to_json};
use crate::staff::{StaffAccounts, StaffError, actor};

#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("no such request")]
    NotFound,
    /// Somebody changed the case since the form was shown.
    #[error("the request changed since it was shown")]
    Conflict,
    #[error("{0}")]
    Step(#[from] StepError),
    #[error("{0}")]
    Extension(#[from] ExtensionError),
    #[error("{0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Staff(#[from] StaffError),
}

impl From<DbErr> for CaseError {
    fn from(error: DbErr) -> Self {
        Self::Store(StoreError::Db(error))
    }
}

impl From<minijinja::Error> for CaseError {
    fn from(error: minijinja::Error) -> Self {
        Self::Store(StoreError::Letter(error))
    }
}

/// Whom a case goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assignee {
    Nobody,
    Staff(i64),
}

/// The longest note, message or reason staff may write.
pub const TEXT_LIMIT: usize = 10_000;

#[derive(Clone)]
pub struct CaseDesk {
    db: DatabaseConnection,
    mail: Mailing,
    staff: StaffAccounts,
}

/// A request read for a change, with its typed fields.
struct Loaded {
    row: request::Model,
    kind: RequestKind,
    status: RequestStatus,
    reference: ReferenceCode,
}

impl CaseDesk {
    pub fn new(db: DatabaseConnection, mail: Mailing, staff: StaffAccounts) -> Self {
        Self { db, mail, staff }
    }

    /// The organisation's calendar, which the desk's pages show days in.
    pub fn clocks(&self) -> &Clocks {
        &self.mail.clocks
    }

    async fn load(&self, reference: &ReferenceCode) -> Result<Loaded, CaseError> {
        let row = request::Entity::find()
            .filter(request::Column::Reference.eq(reference.as_str()))
            .one(&self.db)
            .await?
            .ok_or(CaseError::NotFound)?;
        let corrupt = |reason: &str| StoreError::Corrupt { id: row.id, reason: reason.to_owned() };
        let kind = RequestKind::parse(&row.kind).ok_or_else(|| corrupt("kind"))?;
        let status = RequestStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?;
        Ok(Loaded { kind, status, reference: reference.clone(), row })
    }

    pub async fn kind_of(&self, reference: &ReferenceCode) -> Result<RequestKind, CaseError> {
        Ok(self.load(reference).await?.kind)
    }

    pub async fn staff_list(&self) -> Result<Vec<StaffMember>, CaseError> {
        Ok(self.staff.list().await?)
    }

    /// Everything about one case. Opening it is written to the audit log,
    /// since it shows a customer's personal data.
    pub async fn open(&self, viewer: &Viewer, reference: &ReferenceCode) -> Result<Option<CaseView>, CaseError> {
        let found = match self.load(reference).await {
            Ok(found) => found,
            Err(CaseError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let txn = self.db.begin().await?;
        audit::append(&txn, &actor(viewer), "request.opened", Some(found.row.id), serde_json::json!({})).await?;
        txn.commit().await?;

        let staff: HashMap<i64, StaffMember> =
            self.staff.list().await?.into_iter().map(|member| (member.id, member)).collect();
        let events = request_event::Entity::find()
            .filter(request_event::Column::RequestId.eq(found.row.id))
            .order_by_asc(request_event::Column::Id)
            .all(&self.db)
            .await?;
        let letters = outbox::Entity::find()
            .filter(outbox::Column::RequestId.eq(found.row.id))
            .order_by_asc(outbox::Column::Id)
            .all(&self.db)
            .await?;
        let row = &found.row;
        let corrupt = |reason: String| StoreError::Corrupt { id: row.id, reason };
        let details: RequestDetails = serde_json::from_str(&row.details).map_err(|e| corrupt(e.to_string()))?;
        let outcome =
            row.outcome.as_deref().map(serde_json::from_str).transpose().map_err(|e| corrupt(e.to_string()))?;
        let clocks = &self.mail.clocks;
        let timeline = events
            .into_iter()
            .filter_map(|event| {
                let kind = EventKind::parse(&event.kind)?;
                Some(CaseEvent {
                    kind,
                    at: event.at,
                    on: clocks.local_date(event.at),
                    title: kind.customer_title().to_owned(),
                    body: event.body,
                    actor: event.actor_id.and_then(|id| staff.get(&id)).map(|member| member.name.clone()),
                    customer_visible: event.customer_visible,
                })
            })
            .collect();
        Ok(Some(CaseView {
            reference: found.reference.clone(),
            kind: found.kind,
            status: found.status,
            channel: Channel::parse(&row.channel).unwrap_or(Channel::Web),
            received_at: row.received_at,
            received_on: clocks.local_date(row.received_at),
            verified_at: row.verified_at,
            verified_on: row.verified_at.map(|at| clocks.local_date(at)),
            contact: Contact {
                full_name: row.full_name.clone(),
                email: row.email.clone(),
                phone: row.phone.clone(),
                postal_address: row.postal_address.clone(),
                account_number: row.account_number.clone(),
            },
            details,
            assignee: row.assignee_id.and_then(|id| staff.get(&id).cloned()),
            outcome,
            clock: self.clock_of(&found)?,
            version: row.version,
            steps: workflow::available(found.kind, found.status),
            timeline,
            letters: letters
                .into_iter()
                .filter_map(|letter| letter_state(letter, Some(&found.reference), clocks))
                .collect(),
        }))
    }

    /// The clock as it stands today (an open pause keeps moving it).
    fn clock_of(&self, found: &Loaded) -> Result<Option<RequestClock>, CaseError> {
        let state = clock_state(&found.row)?;
        Ok(self.mail.clocks.compute(found.kind, found.row.received_at, &state))
    }

    pub async fn assign(
        &self,
        viewer: &Viewer,
        reference: &ReferenceCode,
        version: i64,
        to: Assignee,
    ) -> Result<(), CaseError> {
        let found = self.load(reference).await?;
        let (assignee_id, body) = match to {
            Assignee::Nobody => (None, "Unassigned".to_owned()),
            Assignee::Staff(id) => {
                let member = self
                    .staff
                    .list()
                    .await?
                    .into_iter()
                    .find(|member| member.id == id && member.active)
                    .ok_or(CaseError::Invalid("Choose an active colleague."))?;
                (Some(id), format!("Assigned to {}", member.name))
            }
        };
        let txn = self.db.begin().await?;
        let updated = request::Entity::update_many()
            .col_expr(request::Column::AssigneeId, Expr::value(assignee_id))
            .col_expr(request::Column::Version, Expr::value(version + 1))
            .col_expr(request::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(request::Column::Id.eq(found.row.id))
            .filter(request::Column::Version.eq(version))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(CaseError::Conflict);
        }
        record_event_by(&txn, found.row.id, EventKind::Assigned, Utc::now(), Some(&body), Some(viewer.id)).await?;
        let detail = serde_json::json!({ "assignee_id": assignee_id });
        audit::append(&txn, &actor(viewer), "request.assigned", Some(found.row.id), detail).await?;
        txn.commit().await?;
        Ok(())
    }

    /// An internal note: never shown to the customer.
    pub async fn note(&self, viewer: &Viewer, reference: &ReferenceCode, body: &str) -> Result<(), CaseError> {
        let body = text(body, "Write the note first.")?;
        let found = self.load(reference).await?;
        let txn = self.db.begin().await?;
        record_event_by(&txn, found.row.id, EventKind::Note, Utc::now(), Some(body), Some(viewer.id)).await?;
        audit::append(&txn, &actor(viewer), "request.note", Some(found.row.id), serde_json::json!({ "note": body }))
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// A message to the customer: emailed, and shown on the tracking page.
    pub async fn message(&self, viewer: &Viewer, reference: &ReferenceCode, body: &str) -> Result<(), CaseError> {
        let body = text(body, "Write the message first.")?;
        let found = self.load(reference).await?;
        let letter = self.mail.letters.compose(&Letter::CaseMessage {
            name: &found.row.full_name,
            reference: &found.reference,
            kind: found.kind,
            body,
        })?;
        let txn = self.db.begin().await?;
        record_event_by(&txn, found.row.id, EventKind::Message, Utc::now(), Some(body), Some(viewer.id)).await?;
        let detail = serde_json::json!({ "message": body });
        audit::append(&txn, &actor(viewer), "request.message", Some(found.row.id), detail).await?;
        self.mail.outbox.enqueue(&txn, Some(found.row.id), &found.row.email, letter).await?;
        txn.commit().await?;
        self.mail.wake.notify_one();
        Ok(())
    }

    /// Moves the case one step along the state machine.
    pub async fn step(
        &self,
        viewer: &Viewer,
        reference: &ReferenceCode,
        version: i64,
        step: &Step,
    ) -> Result<RequestStatus, CaseError> {
        let found = self.load(reference).await?;
        if found.row.version != version {
            return Err(CaseError::Conflict);
        }
        let next = workflow::next(found.kind, found.status, step)?;
        let today = self.mail.clocks.today();
        let mut state = clock_state(&found.row)?;
        // Waiting on the customer ends with whatever step comes next.
        if let Some(asked) = state.pauses.open_since.take() {
            state.pauses.closed.push(Pause { asked, answered: today });
        }
        if matches!(step, Step::AskCustomer { .. }) {
            state.pauses.open_since = Some(today);
        }
        let clock = self.mail.clocks.compute(found.kind, found.row.received_at, &state);
        let name = &found.row.full_name;
        let (event, body, letter) = match step {
            Step::MarkVerified => (EventKind::VerifiedByStaff, None, None),
            Step::StartWork => (EventKind::WorkStarted, None, None),
            Step::Resume => (EventKind::Resumed, None, None),
            Step::AskCustomer { what } => {
                let pauses = clock.as_ref().is_some_and(|c| c.due() > today);
                let letter = Letter::AwaitingCustomer { name, reference, kind: found.kind, what, pauses };
                (EventKind::AskedCustomer, Some(what.trim().to_owned()), Some(self.mail.letters.compose(&letter)?))
            }
            Step::Resolve(outcome) => {
                let letter = Letter::Outcome { name, reference, outcome };
                (EventKind::Resolved, Some(outcome_summary(outcome)), Some(self.mail.letters.compose(&letter)?))
            }
            Step::Close { reason, note } => {
                let letter = Letter::CaseClosed { name, reference, kind: found.kind, reason: reason.label(), note };
                let body = format!("{}. {}", reason.label(), note.trim());
                (EventKind::Closed, Some(body), Some(self.mail.letters.compose(&letter)?))
            }
        };
        let now = Utc::now();
        let outcome = match step {
            Step::Resolve(outcome) => Some(to_json(outcome)?),
            _ => None,
        };
        let txn = self.db.begin().await?;
        let mut update = request::Entity::update_many()
            .col_expr(request::Column::Status, Expr::value(next.as_str()))
            .col_expr(request::Column::Version, Expr::value(version + 1))
            .col_expr(request::Column::UpdatedAt, Expr::value(now))
            .col_expr(request::Column::ClockState, Expr::value(to_json(&state)?))
            .col_expr(request::Column::DueOn, Expr::value(clock.as_ref().map(RequestClock::due)))
            .col_expr(request::Column::Clock, Expr::value(clock.as_ref().map(to_json).transpose()?));
        if matches!(step, Step::MarkVerified) {
            update = update
                .col_expr(request::Column::VerifiedAt, Expr::value(now))
                .col_expr(request::Column::VerificationHash, Expr::value(Option::<String>::None));
        }
        if !next.is_open() {
            update = update
                .col_expr(request::Column::ResolvedAt, Expr::value(now))
                .col_expr(request::Column::Outcome, Expr::value(outcome));
        }
        let updated = update
            .filter(request::Column::Id.eq(found.row.id))
            .filter(request::Column::Version.eq(version))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(CaseError::Conflict);
        }
        record_event_by(&txn, found.row.id, event, now, body.as_deref(), Some(viewer.id)).await?;
        let detail = serde_json::json!({ "from": found.status.as_str(), "to": next.as_str(), "step": step });
        audit::append(&txn, &actor(viewer), "request.status_changed", Some(found.row.id), detail).await?;
        if let Some(letter) = letter {
            self.mail.outbox.enqueue(&txn, Some(found.row.id), &found.row.email, letter).await?;
        }
        txn.commit().await?;
        self.mail.wake.notify_one();
        Ok(next)
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
        if found.row.version != version {
            return Err(CaseError::Conflict);
        }
        if !found.status.is_open() {
            return Err(CaseError::Invalid("A finished request cannot be extended."));
        }
        let clock = self.clock_of(&found)?.ok_or(CaseError::Invalid("No deadline applies to this request."))?;
        let extension = clock.grant_extension(self.mail.clocks.today(), reason)?;
        let mut state = clock_state(&found.row)?;
        state.extension_reason = Some(extension.reason.clone());
        let extended = self
            .mail
            .clocks
            .compute(found.kind, found.row.received_at, &state)
            .ok_or(CaseError::Invalid("No deadline applies to this request."))?;
        let letter = self.mail.letters.compose(&Letter::Extension {
            name: &found.row.full_name,
            reference,
            kind: found.kind,
            reason: &extension.reason,
            old_date: long_day(clock.due()),
            new_date: long_day(extended.due()),
            citation: &extension.respond_by.citation,
        })?;
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let updated = request::Entity::update_many()
            .col_expr(request::Column::Version, Expr::value(version + 1))
            .col_expr(request::Column::UpdatedAt, Expr::value(now))
            .col_expr(request::Column::ClockState, Expr::value(to_json(&state)?))
            .col_expr(request::Column::DueOn, Expr::value(extended.due()))
            .col_expr(request::Column::Clock, Expr::value(to_json(&extended)?))
            .filter(request::Column::Id.eq(found.row.id))
            .filter(request::Column::Version.eq(version))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(CaseError::Conflict);
        }
        let body = format!("New date: {}. Reason: {}", long_day(extended.due()), extension.reason);
        record_event_by(&txn, found.row.id, EventKind::Extended, now, Some(&body), Some(viewer.id)).await?;
        let detail = serde_json::json!({ "until": extended.due(), "reason": extension.reason });
        audit::append(&txn, &actor(viewer), "request.extended", Some(found.row.id), detail).await?;
        self.mail.outbox.enqueue(&txn, Some(found.row.id), &found.row.email, letter).await?;
        txn.commit().await?;
        self.mail.wake.notify_one();
        Ok(())
    }

    /// Letters that have not gone out, failed ones first.
    pub async fn undelivered(&self) -> Result<Vec<LetterState>, CaseError> {
        let rows = outbox::Entity::find()
            .filter(outbox::Column::Status.ne("sent"))
            .order_by_asc(outbox::Column::Status)
            .order_by_asc(outbox::Column::Id)
            .limit(500)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = rows.iter().filter_map(|row| row.request_id).collect();
        let references: HashMap<i64, ReferenceCode> = request::Entity::find()
            .select_only()
            .column(request::Column::Id)
            .column(request::Column::Reference)
            .filter(request::Column::Id.is_in(ids))
            .into_tuple::<(i64, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|(id, reference)| Some((id, ReferenceCode::parse(&reference).ok()?)))
            .collect();
        let mut letters: Vec<LetterState> = rows
            .into_iter()
            .filter_map(|row| {
                let reference = row.request_id.and_then(|id| references.get(&id));
                letter_state(row, reference, &self.mail.clocks)
            })
            .collect();
        letters.sort_by_key(|letter| letter.status != LetterStatus::Failed);
        Ok(letters)
    }

    /// Queues a failed letter again. `Ok(false)` when it is not failed.
    pub async fn retry_letter(&self, viewer: &Viewer, id: i64) -> Result<bool, CaseError> {
        let txn = self.db.begin().await?;
        if !outbox_rows::retry(&txn, id).await? {
            return Ok(false);
        }
        audit::append(&txn, &actor(viewer), "mail.retried", None, serde_json::json!({ "outbox_id": id })).await?;
        txn.commit().await?;
        self.mail.wake.notify_one();
        Ok(true)
    }
}

fn clock_state(row: &request::Model) -> Result<ClockState, StoreError> {
    match row.clock_state.as_deref() {
        Some(json) => serde_json::from_str(json)
            .map_err(|e| StoreError::Corrupt { id: row.id, reason: format!("clock state: {e}") }),
        None => Ok(ClockState::default()),
    }
}

fn text<'a>(body: &'a str, missing: &'static str) -> Result<&'a str, CaseError> {
    let body = body.trim();
    if body.is_empty() {
        Err(CaseError::Invalid(missing))
    } else if body.chars().count() > TEXT_LIMIT {
        Err(CaseError::Invalid("That is too long: keep it under 10,000 characters."))
    } else {
        Ok(body)
    }
}

/// What the customer's timeline says of an outcome: one wording for
/// the case desk and the seeded history alike.
pub fn outcome_summary(outcome: &Outcome) -> String {
    match outcome {
        Outcome::OptOutApplied { effective_on } => {
            format!("Your opt-out took effect on {}.", long_day(*effective_on))
        }
        Outcome::AmendmentAccepted { records_changed } => {
            format!("Amendment accepted. What we changed: {}", records_changed.trim())
        }
        Outcome::AmendmentPartlyAccepted { records_changed, reason } => format!(
            "Amendment partly accepted. What we changed: {} What we did not change, and why: {}",
            records_changed.trim(),
            reason.trim()
        ),
        Outcome::AmendmentDenied { ground, explanation } => {
            format!("Amendment denied: {}. {}", ground.label(), explanation.trim())
        }
        Outcome::ComplaintResolved { resolution, .. } => format!("Complaint resolved: {}", resolution.trim()),
    }
}

fn letter_state(row: outbox::Model, reference: Option<&ReferenceCode>, clocks: &Clocks) -> Option<LetterState> {
    Some(LetterState {
        id: row.id,
        reference: reference.cloned(),
        subject: row.subject,
        recipient: row.recipient,
        status: LetterStatus::parse(&row.status)?,
        attempts: row.attempts,
        last_error: row.last_error,
        created_on: clocks.local_date(row.created_at),
        created_at: row.created_at,
    })
}
