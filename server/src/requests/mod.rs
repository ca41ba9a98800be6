//! Requests: storing what customers submit, confirming their address, and
//! reading it back for them.

mod appeals;
mod duplicates;
mod group_commit;
mod links;
mod verification;

use std::sync::Arc;

use app::domain::clock::RequestClock;
use app::domain::format::long_date_in;
use app::domain::request::Choice;
use app::domain::workflow;
use app::domain::{
    Agent, Channel, EventKind, Language, NewRequest, RecordedEvent, ReferenceCode, RequestDetails, RequestKind,
    RequestStatus, TrackedRequest, TrackingView,
};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Set, SqlErr};

use crate::audit::Actor;
use crate::clocks::{ClockState, Clocks};
use crate::db::entities::{request, request_event};
use crate::mail::outbox::Recipient;
use crate::mail::{Letter, Mailer, RecipientAllowance, allowance};
use crate::secret::{self, Secret};
use crate::vault::rows::ClockColumn;
use crate::vault::{Vault, VaultError};
use group_commit::{Appealed, GroupCommit, Prepared, Written};
pub use verification::{Resend, Verification};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("stored request {id} cannot be read: {reason}")]
    Corrupt { id: i64, reason: String },
    #[error("a letter cannot be composed: {0}")]
    Letter(#[from] minijinja::Error),
    #[error("personal data cannot be sealed or opened: {0}")]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Register(#[from] crate::register::RegisterError),
    /// Only submissions from the public are counted against it.
    #[error("the requester has been sent as many letters today as the public may cause")]
    OverAllowance,
    /// Only a refusal is appealed, once, where a law gives an appeal; a
    /// second appeal sent at the same moment is refused by the unique index.
    #[error("the request cannot be appealed")]
    NotAppealable,
}

/// What the customer is given once their request is safely stored.
#[derive(Debug)]
pub struct Receipt {
    pub reference: ReferenceCode,
    pub token: Secret,
}

/// What an appeal carries over from the refused request it appeals.
#[derive(Clone, Copy, Debug)]
pub struct Appealing {
    pub request: i64,
    /// When staff verified the authority of the agent who acts for the
    /// customer, if one does: the appeal needs no second check.
    pub agent_verified_at: Option<DateTime<Utc>>,
    /// The language the refused request was made in.
    pub language: Language,
}

/// How a request arrived, and when the clock started.
#[derive(Clone, Debug)]
pub struct Intake {
    pub channel: Channel,
    pub received_at: DateTime<Utc>,
    /// The staff member who entered a request received by phone or mail.
    /// They spoke with or wrote to the requester, so no email verification
    /// is asked for.
    pub entered_by: Option<Actor>,
    /// The language the requester's browser asked for, which staff answer
    /// in; English for what staff enter.
    pub language: Language,
}

impl Intake {
    pub fn web_now(language: Language) -> Self {
        Self { channel: Channel::Web, received_at: Utc::now(), entered_by: None, language }
    }
}

#[derive(Clone)]
pub struct RequestStore {
    db: DatabaseConnection,
    /// Where pages read; see [`crate::db::reader`]. The writer until
    /// [`Self::reading_from`] says otherwise.
    read: DatabaseConnection,
    mailer: Mailer,
    clocks: Arc<Clocks>,
    /// How long a verification link works.
    verification_ttl: Duration,
    limits: PublicLimits,
    intake: GroupCommit,
}

/// How many letters the public may cause.
#[derive(Clone, Copy, Debug)]
pub struct PublicLimits {
    /// Per recipient and day, the receipts and verification letters of
    /// submissions and resends together.
    pub allowance: RecipientAllowance,
    /// New verification letters one request may ask for, in all.
    pub resends_per_request: u32,
}

/// Collisions of random reference codes are rare (about 2^39 of them); a
/// few fresh draws settle any.
const REFERENCE_ATTEMPTS: usize = 5;

impl RequestStore {
    /// Must be called inside a Tokio runtime: it starts the intake writer.
    pub fn new(
        db: DatabaseConnection,
        mailer: Mailer,
        clocks: Arc<Clocks>,
        verification_ttl: Duration,
        limits: PublicLimits,
    ) -> Self {
        let intake = GroupCommit::start(db.clone(), mailer.outbox().clone());
        Self { read: db.clone(), db, mailer, clocks, verification_ttl, limits, intake }
    }

    /// Shows tracking pages through `reader` (see [`crate::db::reader`]).
    pub fn reading_from(mut self, reader: DatabaseConnection) -> Self {
        self.read = reader;
        self
    }

    /// Stores a request, its first history event and its letters in one
    /// transaction. When this returns, all are committed; when it fails,
    /// none is. A request from the public is refused with
    /// [`StoreError::OverAllowance`] when its letters would pass the
    /// requester's allowance for the day.
    pub async fn submit(&self, request: &NewRequest, intake: &Intake) -> Result<Receipt, StoreError> {
        self.submit_appealing(request, intake, None).await
    }

    /// [`Self::submit`] for an appeal of the refused request `appeal_of`:
    /// the appeal points at it, and the refused request's history says it
    /// was appealed, in the same transaction.
    pub async fn submit_appeal(&self, request: &NewRequest, appealing: Appealing) -> Result<Receipt, StoreError> {
        self.submit_appealing(request, &Intake::web_now(appealing.language), Some(appealing)).await
    }

    async fn submit_appealing(
        &self,
        request: &NewRequest,
        intake: &Intake,
        appeal_of: Option<Appealing>,
    ) -> Result<Receipt, StoreError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let reference = ReferenceCode::from_random(rand::rng().next_u64());
            match self.insert(request, intake, &reference, appeal_of).await {
                Ok((token, id, who)) => {
                    // The receipt and any verification letter are committed
                    // and on their way before duplicates are looked for.
                    self.mailer.wake();
                    duplicates::mark(&self.read, &self.db, self.mailer.outbox(), id, &who).await;
                    return Ok(Receipt { reference, token });
                }
                Err(StoreError::Db(e)) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    if let Some(appealing) = appeal_of
                        && self.appeal_of(appealing.request).await?.is_some()
                    {
                        return Err(StoreError::NotAppealable);
                    }
                    if attempt >= REFERENCE_ATTEMPTS {
                        return Err(StoreError::Db(e));
                    }
                    tracing::warn!(%reference, "reference code collided; drawing another");
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The appeal of the request `original`, if it was appealed.
    pub async fn appeal_of(&self, original: i64) -> Result<Option<request::Model>, StoreError> {
        Ok(request::Entity::find().filter(request::Column::AppealOf.eq(original)).one(&self.db).await?)
    }

    async fn insert(
        &self,
        request: &NewRequest,
        intake: &Intake,
        reference: &ReferenceCode,
        appeal_of: Option<Appealing>,
    ) -> Result<(Secret, i64, duplicates::Identity), StoreError> {
        let token = Secret::generate();
        let now = Utc::now();
        let kind = request.kind();
        let details = serde_json::to_string(&request.details)
            .map_err(|e| DbErr::Custom(format!("request details do not serialise: {e}")))?;
        let gpc = matches!(request.details, RequestDetails::OptOut { gpc: true, .. });
        let contact = &request.contact;
        let vault = self.vault();
        // Sealed here, on the request's own task, so that the single intake
        // writer only writes.
        let sealed = vault.seal_request(reference.as_str(), contact, &details)?;
        let who = duplicates::Identity {
            kind,
            email_index: sealed.email_index.clone(),
            account_index: sealed.account_index.clone(),
        };
        let by_staff = intake.entered_by.is_some();
        let agent = request.agent.as_ref();
        // A request an agent makes waits for confirmation too: from the
        // customer, or, for a power of attorney, of the agent's own address.
        // An appeal comes through a request confirmed already.
        let confirms = (kind.needs_verification() || agent.is_some()) && !by_staff && appeal_of.is_none();
        let verification = confirms.then(Secret::generate);
        let agent_confirms = agent.is_some_and(|agent| !agent.relationship.customer_confirms());
        let status = workflow::first_status(verification.is_some());
        let clock = self.clocks.compute(kind, intake.received_at, &ClockState::default());

        // One letter at submission: the receipt carries the confirmation
        // link too, so the customer is not sent two at once.
        let verify_url = verification.as_ref().map(|secret| link(&self.mailer, "verify", secret));
        let summary = request.details.summary_in(intake.language);
        let lang = intake.language;
        let received_on = long_date_in(self.clocks.local_date(intake.received_at), lang);
        let answer_by = clock.as_ref().map(|c| long_date_in(c.due(), lang));
        let agent_line =
            agent.map(|agent| format!("{} ({})", agent.name, agent.relationship.label_in(lang).to_lowercase()));
        let receipt = self.mailer.compose_for(
            &Letter::Receipt {
                name: &contact.full_name,
                reference,
                kind,
                summary: &summary,
                received_on: received_on.clone(),
                tracking_url: &link(&self.mailer, "track", &token),
                verify_url: verify_url.as_deref().filter(|_| !agent_confirms),
                valid_hours: self.verification_hours(),
                answer_by: answer_by.clone(),
                agent: agent_line.as_deref(),
                on_behalf_of: None,
            },
            contact.by_post(),
            lang,
        )?;
        // The agent follows the request through a link of their own, where
        // they send the signed permission.
        let agent_token = agent.map(|_| Secret::generate());
        let agent_receipt = match (agent, &agent_token) {
            (Some(agent), Some(agent_token)) => Some((
                agent,
                self.mailer.compose(
                    &Letter::Receipt {
                        name: &agent.name,
                        reference,
                        kind,
                        summary: &summary,
                        received_on,
                        tracking_url: &link(&self.mailer, "track", agent_token),
                        verify_url: verify_url.as_deref().filter(|_| agent_confirms),
                        valid_hours: self.verification_hours(),
                        answer_by,
                        agent: None,
                        on_behalf_of: Some(&contact.full_name),
                    },
                    lang,
                )?,
            )),
            _ => None,
        };
        let sealed_agent =
            agent.map(to_json).transpose()?.map(|json| vault.seal_agent(reference.as_str(), &json)).transpose()?;

        let clock_json = clock.as_ref().map(to_json).transpose()?;
        let sealed_clock =
            clock_json.map(|json| vault.seal_clock(reference.as_str(), ClockColumn::Clock, &json)).transpose()?;
        let row = request::ActiveModel {
            reference: Set(reference.to_string()),
            kind: Set(kind.as_str().to_owned()),
            status: Set(status.as_str().to_owned()),
            channel: Set(intake.channel.as_str().to_owned()),
            tracking_hash: Set(token.hash()),
            full_name: Set(sealed.full_name),
            email: Set(sealed.email),
            phone: Set(sealed.phone),
            postal_address: Set(sealed.postal_address),
            account_number: Set(sealed.account_number),
            details: Set(sealed.details),
            email_index: Set(sealed.email_index),
            account_index: Set(sealed.account_index),
            name_index: Set(sealed.name_index),
            gpc: Set(gpc),
            received_at: Set(intake.received_at),
            created_at: Set(now),
            updated_at: Set(now),
            verified_at: Set(None),
            verification_hash: Set(verification.as_ref().map(Secret::hash)),
            verification_expires_at: Set(verification.as_ref().map(|_| now + self.verification_ttl)),
            verification_sent_at: Set(verification.as_ref().map(|_| now)),
            due_on: Set(clock.as_ref().map(RequestClock::due)),
            clock: Set(sealed_clock),
            // No pause and no extension yet: an absent state reads as the default.
            clock_state: Set(None),
            version: Set(0),
            appeal_of: Set(appeal_of.map(|appealing| appealing.request)),
            agent: Set(sealed_agent),
            agent_verified_at: Set(appeal_of.and_then(|appealing| appealing.agent_verified_at)),
            language: Set(intake.language.as_str().to_owned()),
            ..Default::default()
        };
        let outbox = self.mailer.outbox();
        let to = Recipient::of(&contact.full_name, &contact.email, contact.postal_address.as_deref());
        let mut letters = vec![outbox.seal_to(to, receipt)?];
        if let Some((agent, letter)) = agent_receipt {
            letters.push(outbox.seal_to(Recipient::of(&agent.name, &agent.email, None), letter)?);
        }
        let event = if by_staff { EventKind::EnteredByStaff } else { EventKind::Submitted };
        let entered_by = intake.entered_by.clone();
        let allowance = (!by_staff).then(|| (self.limits.allowance, self.clocks.local_date(now)));
        let recipient = allowance::recipient_key(vault, &contact.email);
        let appealed = appeal_of
            .map(|appealing| {
                let body = vault.seal_event_body(appealing.request, Some(&format!("Appeal {reference}")))?;
                Ok::<_, StoreError>(Appealed { request_id: appealing.request, body })
            })
            .transpose()?;
        let agent_link = agent_token.as_ref().map(Secret::hash);
        let agent_recipient = agent.map(|agent| allowance::recipient_key(vault, &agent.email));
        let prepared = Prepared {
            row,
            recipient,
            letters,
            at: now,
            event,
            entered_by,
            allowance,
            appealed,
            agent_link,
            agent_recipient,
        };
        match self.intake.write(prepared).await? {
            Written::Stored(id) => Ok((token, id, who)),
            Written::OverAllowance => Err(StoreError::OverAllowance),
        }
    }

    /// The customer's view of the request behind a tracking token.
    pub async fn track(&self, presented_token: &str) -> Result<Option<TrackingView>, StoreError> {
        let Some(found) = self.tracked_row(presented_token).await? else {
            return Ok(None);
        };
        let events = request_event::Entity::find()
            .filter(request_event::Column::RequestId.eq(found.id))
            .filter(request_event::Column::CustomerVisible.eq(true))
            .order_by_asc(request_event::Column::Id)
            .all(&self.read)
            .await?;
        let entries = crate::register::facts_of_request(&self.read, found.id).await?;
        let documents = crate::documents::listed(&self.read, self.vault(), found.id, |at| self.clocks.local_date(at))
            .await
            .map_err(|e| StoreError::Corrupt { id: found.id, reason: e.to_string() })?;
        let appeal = self.appeal_standing(&found).await?;
        let agent = self
            .vault()
            .open_agent(&found)?
            .map(|json| serde_json::from_str::<Agent>(&json))
            .transpose()
            .map_err(|e| StoreError::Corrupt { id: found.id, reason: e.to_string() })?
            .map(|agent| (agent.name, found.agent_verified_at.is_some()));
        tracking_view(self.vault(), found, events, &self.clocks)
            .map(|view| Some(TrackingView { documents, appeal, agent, ..view.with_register(&entries) }))
    }

    /// The request behind a tracking token, as stored, for the parts of
    /// the portal that act on it for the link's holder.
    pub async fn tracked_row(&self, presented_token: &str) -> Result<Option<request::Model>, StoreError> {
        let Some(hash) = secret::lookup_hash(presented_token) else { return Ok(None) };
        Ok(self.by_tracking_hash(&self.read, &hash).await?)
    }

    /// [`Self::tracked_row`] with when the presented link was issued, for
    /// the actions an old link may not take by itself.
    pub async fn tracked_link(
        &self,
        presented_token: &str,
    ) -> Result<Option<(request::Model, chrono::DateTime<chrono::Utc>)>, StoreError> {
        let Some(hash) = secret::lookup_hash(presented_token) else { return Ok(None) };
        Ok(self.by_tracking_hash_issued(&self.db, &hash).await?)
    }

    fn vault(&self) -> &Vault {
        self.mailer.outbox().vault()
    }
}

/// The private link to `path` that `secret` opens.
fn link(mailer: &Mailer, path: &str, secret: &Secret) -> String {
    mailer.link(&format!("{path}/{}", secret.expose()))
}

pub(crate) fn to_json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Db(DbErr::Custom(format!("cannot serialise: {e}"))))
}

fn tracking_view(
    vault: &Vault,
    found: request::Model,
    events: Vec<request_event::Model>,
    clocks: &Clocks,
) -> Result<TrackingView, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { id: found.id, reason };
    let kind = RequestKind::parse(&found.kind).ok_or_else(|| corrupt(format!("kind {:?}", found.kind)))?;
    let status = RequestStatus::parse(&found.status).ok_or_else(|| corrupt(format!("status {:?}", found.status)))?;
    let reference = ReferenceCode::parse(&found.reference).map_err(|e| corrupt(e.to_string()))?;
    let details = vault.open_details(&found).map_err(|e| corrupt(e.to_string()))?;
    let details: RequestDetails = serde_json::from_str(&details).map_err(|e| corrupt(e.to_string()))?;
    let mut history = Vec::with_capacity(events.len());
    for event in events {
        let body = vault.open_event_body(&event).map_err(|e| corrupt(e.to_string()))?;
        if let Some(kind) = EventKind::parse(&event.kind) {
            history.push(RecordedEvent { kind, at: event.at, body });
        }
    }
    let clock = vault.open_clock(&found, ClockColumn::Clock).map_err(|e| corrupt(e.to_string()))?;
    let clock: Option<RequestClock> = clock.as_deref().and_then(|json| serde_json::from_str(json).ok());
    let by_post = vault.open_email(&found).map_err(|e| corrupt(e.to_string()))?.trim().is_empty();
    let request = TrackedRequest {
        reference,
        kind,
        status,
        details,
        received_at: found.received_at,
        updated_at: found.updated_at,
        clock,
        purged_at: found.purged_at,
    };
    Ok(TrackingView::of(request, history, |at| clocks.local_date(at))
        .answered_by_post(by_post)
        .statement_limit(clocks.rules().statement_limit()))
}
