//! Revoking an opt-out: written down by staff when the customer asks by
//! phone or mail, or asked for by the customer on their tracking page and
//! confirmed through a single-use link emailed to them. Either way the
//! revocation is a new entry, with its audit entry and the request's
//! history event, in one transaction.

use app::domain::register::{OptOutChange, OptOutSource, RevocationChannel};
use app::domain::request::Choice;
use app::domain::workflow::CustomerAction;
use app::domain::{EventKind, ReferenceCode, RequestKind, RequestStatus, Viewer};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use super::{Entry, NewEntry, Register, RegisterError, record};
use crate::audit::{self, Actor};
use crate::db::entities::{opt_out_entry, request, revocation_link};
use crate::history;
use crate::mail::{Composed, Letter, allowance};
use crate::secret::{self, Secret};
use crate::staff::actor;
use crate::vault::Sealed;

/// The longest reason staff may write down.
const REASON_LIMIT: usize = 2_000;

/// The least time between two confirmation letters for one opt-out.
const RESEND_INTERVAL: Duration = Duration::minutes(2);

/// A single-use link about to be mailed: what it is for, and for a
/// confirmation, the sealed action it will take.
struct NewLink<'a> {
    request_id: i64,
    purpose: &'a str,
    hash: String,
    pending: Option<Sealed>,
}

/// A revocation about to be written: how and by whom it came, what the
/// request's history says of it, and the confirmation link it uses up.
struct Revoking<'a> {
    source: OptOutSource,
    reason: Option<&'a str>,
    actor: Actor,
    by: Option<i64>,
    body: String,
    spends: Option<i64>,
}

/// What became of a customer's wish to revoke.
#[derive(Debug, PartialEq, Eq)]
pub enum RevocationLink {
    /// The confirmation letter is on its way.
    Sent,
    /// One was sent moments ago.
    TooSoon,
    /// The requester has had all the letters the public may cause today.
    AllowanceUsed,
    /// Nothing stands to be revoked.
    NotApplicable,
}

/// What became of a click on an emailed confirmation of a customer action.
#[derive(Debug, PartialEq, Eq)]
pub enum Confirmed {
    /// The link is spent; the action it kept is to be taken on the request.
    Take(Box<request::Model>, CustomerAction),
    Expired,
    /// Used already, replaced, or never ours.
    Unknown,
}

/// What a confirmation link for an opt-out's revocation is for.
const REVOKE: &str = "revoke";

/// What became of a click on the emailed confirmation.
#[derive(Debug, PartialEq, Eq)]
pub enum Revocation {
    Revoked,
    Expired,
    /// Used already, replaced, or never ours.
    Unknown,
}

impl Register {
    /// The opt-out's latest entry while it stands; refused once revoked.
    async fn standing(&self, entries: &[Entry]) -> Result<Entry, RegisterError> {
        let latest = entries
            .iter()
            .max_by_key(|entry| (entry.facts.effective_on, entry.facts.id))
            .ok_or(RegisterError::NotFound)?;
        if latest.facts.change == OptOutChange::Revoked {
            return Err(RegisterError::AlreadyRevoked);
        }
        Ok(latest.clone())
    }

    /// Writes down a revocation the customer asked for by phone or mail.
    pub async fn revoke_by_staff(
        &self,
        viewer: &Viewer,
        opt_out: &str,
        channel: RevocationChannel,
        reason: &str,
    ) -> Result<(), RegisterError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(RegisterError::Invalid("Say why the customer asked for the opt-out to be revoked."));
        }
        if reason.chars().count() > REASON_LIMIT {
            return Err(RegisterError::Invalid("That is too long: keep the reason under 2,000 characters."));
        }
        let latest = self.standing(&self.opt_out(opt_out).await?).await?;
        let body = format!("{}. {reason}", channel.label());
        let by = Some(viewer.id);
        let revoking =
            Revoking { source: channel.source(), reason: Some(reason), actor: actor(viewer), by, body, spends: None };
        self.write_revocation(&latest, revoking).await
    }

    /// One revocation, with its audit entry and history event, and the
    /// confirmation link it spends. The audit entry comes first: its lock,
    /// then the register's, in the order every register write takes them;
    /// under both, the opt-out is read again, so of two revocations at once
    /// the second finds it changed and writes nothing.
    async fn write_revocation(&self, latest: &Entry, revoking: Revoking<'_>) -> Result<(), RegisterError> {
        let Revoking { source, reason, actor, by, body, spends } = revoking;
        let today = self.today();
        let txn = self.db.begin().await?;
        let detail = serde_json::json!({
            "opt_out": latest.facts.opt_out,
            "source": source.as_str(),
            "effective_on": today,
            "reason": reason.map(|reason| self.vault().digest(reason)),
        });
        audit::append(&txn, &actor, "opt_out.revoked", latest.request_id, detail).await?;
        if let Some(link) = spends {
            let spent = revocation_link::Entity::update_many()
                .col_expr(revocation_link::Column::UsedAt, Expr::value(Utc::now()))
                .filter(revocation_link::Column::Id.eq(link))
                .filter(revocation_link::Column::UsedAt.is_null())
                .exec(&txn)
                .await?;
            if spent.rows_affected != 1 {
                return Err(RegisterError::AlreadyRevoked);
            }
        }
        let entry = NewEntry {
            opt_out: Some(latest.facts.opt_out.clone()),
            request_id: latest.request_id,
            change: OptOutChange::Revoked,
            scope: latest.facts.scope,
            joint_account: latest.facts.joint_account,
            source,
            effective_on: today,
            recorded_by: by,
            person: latest.person.clone(),
            reason: reason.map(str::to_owned),
        };
        record(&txn, self.vault(), &entry).await?;
        let since = opt_out_entry::Entity::find()
            .filter(opt_out_entry::Column::OptOutUid.eq(latest.facts.opt_out.as_str()))
            .filter(opt_out_entry::Column::Id.gt(latest.facts.id))
            .count(&txn)
            .await?;
        if since > 1 {
            return Err(RegisterError::AlreadyRevoked);
        }
        if let Some(request_id) = latest.request_id {
            let body = self.vault().seal_event_body(request_id, Some(&body))?;
            history::record(&txn, self.mailer.outbox(), request_id, EventKind::OptOutRevoked, Utc::now(), body, by)
                .await?;
        }
        txn.commit().await?;
        self.mailer.wake();
        Ok(())
    }

    /// The customer behind `request` asks, from their tracking page, to
    /// revoke the opt-out it applied: a letter with a single-use link goes
    /// to the address on file, and nothing is revoked until it is followed.
    pub async fn ask_to_revoke(&self, request: &request::Model) -> Result<RevocationLink, RegisterError> {
        let applied = request.kind == RequestKind::OptOut.as_str()
            && request.status == RequestStatus::Completed.as_str()
            && request.purged_at.is_none();
        if !applied {
            return Ok(RevocationLink::NotApplicable);
        }
        if let Err(RegisterError::NotFound | RegisterError::AlreadyRevoked) =
            self.standing(&self.of_request(request.id).await?).await
        {
            return Ok(RevocationLink::NotApplicable);
        }
        let now = Utc::now();
        if self.link_sent_moments_ago(request.id, REVOKE, now).await? {
            return Ok(RevocationLink::TooSoon);
        }
        let reference = ReferenceCode::parse(&request.reference)
            .map_err(|e| RegisterError::Corrupt { id: request.id, what: e.to_string() })?;
        let vault = self.vault();
        let (name, email) = (vault.open_name(request)?, vault.open_email(request)?);
        let secret = Secret::generate();
        let hours = self.limits.link_ttl.num_hours().clamp(1, i64::from(u32::MAX)) as u32;
        let letter = self.mailer.compose(
            &Letter::ConfirmRevocation {
                name: &name,
                reference: &reference,
                revoke_url: &self.mailer.link(&format!("revoke/{}", secret.expose())),
                valid_hours: hours,
            },
            request.lang(),
        )?;
        let link = NewLink { request_id: request.id, purpose: REVOKE, hash: secret.hash(), pending: None };
        self.send_link(link, &email, letter, now).await
    }

    /// Whether a link for `purpose` went to this request's customer moments
    /// ago: a second click then sends nothing more.
    async fn link_sent_moments_ago(
        &self,
        request_id: i64,
        purpose: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, RegisterError> {
        let last = revocation_link::Entity::find()
            .filter(revocation_link::Column::RequestId.eq(request_id))
            .filter(revocation_link::Column::Purpose.eq(purpose))
            .order_by_desc(revocation_link::Column::Id)
            .one(&self.db)
            .await?;
        Ok(last.is_some_and(|last| last.created_at > now - RESEND_INTERVAL))
    }

    /// Stores a single-use link in place of the older unspent ones of its
    /// purpose (only the newest link, and what the customer last asked,
    /// counts) and queues its letter, within the day's allowance of letters
    /// to that address.
    async fn send_link(
        &self,
        link: NewLink<'_>,
        email: &str,
        letter: Composed,
        now: DateTime<Utc>,
    ) -> Result<RevocationLink, RegisterError> {
        // A customer answered by post has no address for a single-use link:
        // they act by phone or mail, which staff record.
        if email.trim().is_empty() {
            return Ok(RevocationLink::NotApplicable);
        }
        let txn = self.db.begin().await?;
        let recipient = allowance::recipient_key(self.vault(), email);
        if !self.limits.allowance.take(&txn, &recipient, self.clocks.local_date(now), 1).await? {
            return Ok(RevocationLink::AllowanceUsed);
        }
        revocation_link::Entity::update_many()
            .col_expr(revocation_link::Column::UsedAt, Expr::value(now))
            .filter(revocation_link::Column::RequestId.eq(link.request_id))
            .filter(revocation_link::Column::Purpose.eq(link.purpose))
            .filter(revocation_link::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        revocation_link::ActiveModel {
            request_id: Set(link.request_id),
            hash: Set(link.hash),
            created_at: Set(now),
            expires_at: Set(now + self.limits.link_ttl),
            purpose: Set(link.purpose.to_owned()),
            pending: Set(link.pending),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        self.mailer.enqueue(&txn, Some(link.request_id), email, letter).await?;
        txn.commit().await?;
        self.mailer.wake();
        Ok(RevocationLink::Sent)
    }

    /// The confirmed click: revokes the opt-out the link was sent for.
    pub async fn confirm_revocation(&self, presented: &str) -> Result<Revocation, RegisterError> {
        let Some(hash) = secret::lookup_hash(presented) else { return Ok(Revocation::Unknown) };
        let Some(link) =
            revocation_link::Entity::find().filter(revocation_link::Column::Hash.eq(hash)).one(&self.db).await?
        else {
            return Ok(Revocation::Unknown);
        };
        if link.used_at.is_some() || link.purpose != REVOKE {
            return Ok(Revocation::Unknown);
        }
        let now = Utc::now();
        if link.expires_at <= now {
            return Ok(Revocation::Expired);
        }
        let latest = match self.standing(&self.of_request(link.request_id).await?).await {
            Ok(latest) => latest,
            Err(RegisterError::NotFound | RegisterError::AlreadyRevoked) => return Ok(Revocation::Unknown),
            Err(error) => return Err(error),
        };
        // The link is spent with the revocation: of two clicks at once, one
        // revokes and the other finds the link used.
        let body = "You confirmed by email that you wanted it revoked.".to_owned();
        let revoking = Revoking {
            source: OptOutSource::TrackingPage,
            reason: None,
            actor: Actor::System("customer"),
            by: None,
            body,
            spends: Some(link.id),
        };
        match self.write_revocation(&latest, revoking).await {
            Ok(()) => Ok(Revocation::Revoked),
            Err(RegisterError::AlreadyRevoked) => Ok(Revocation::Unknown),
            Err(error) => Err(error),
        }
    }

    /// An action the customer took through a tracking link too old to act
    /// by itself: kept sealed with a single-use link mailed to the address
    /// on file, the same way a revocation is confirmed, and taken only
    /// when that link is followed.
    pub async fn ask_to_confirm(
        &self,
        request: &request::Model,
        action: &CustomerAction,
    ) -> Result<RevocationLink, RegisterError> {
        let purpose = action.step().as_str();
        let now = Utc::now();
        if self.link_sent_moments_ago(request.id, purpose, now).await? {
            return Ok(RevocationLink::TooSoon);
        }
        let reference = ReferenceCode::parse(&request.reference)
            .map_err(|e| RegisterError::Corrupt { id: request.id, what: e.to_string() })?;
        let vault = self.vault();
        let (name, email) = (vault.open_name(request)?, vault.open_email(request)?);
        let secret = Secret::generate();
        let hash = secret.hash();
        let json = serde_json::to_string(action)
            .map_err(|e| RegisterError::Corrupt { id: request.id, what: e.to_string() })?;
        let pending = vault.seal_pending(&hash, &json)?;
        let hours = self.limits.link_ttl.num_hours().clamp(1, i64::from(u32::MAX)) as u32;
        let letter = self.mailer.compose(
            &Letter::ConfirmAction {
                name: &name,
                reference: &reference,
                what: action.to_confirm(request.lang()),
                confirm_url: &self.mailer.link(&format!("confirm/{}", secret.expose())),
                valid_hours: hours,
            },
            request.lang(),
        )?;
        let link = NewLink { request_id: request.id, purpose, hash, pending: Some(pending) };
        self.send_link(link, &email, letter, now).await
    }

    /// The confirmed click: spends the link and hands back the action it
    /// kept, for the case desk to take. Of two clicks at once, one finds
    /// the link unspent.
    pub async fn confirm_action(&self, presented: &str) -> Result<Confirmed, RegisterError> {
        let Some(hash) = secret::lookup_hash(presented) else { return Ok(Confirmed::Unknown) };
        let Some(link) =
            revocation_link::Entity::find().filter(revocation_link::Column::Hash.eq(hash)).one(&self.db).await?
        else {
            return Ok(Confirmed::Unknown);
        };
        if link.used_at.is_some() || link.purpose == REVOKE {
            return Ok(Confirmed::Unknown);
        }
        let now = Utc::now();
        if link.expires_at <= now {
            return Ok(Confirmed::Expired);
        }
        let corrupt = |what: String| RegisterError::Corrupt { id: link.id, what };
        let json = self.vault().open_pending(&link)?.ok_or_else(|| corrupt("no pending action".into()))?;
        let action: CustomerAction = serde_json::from_str(&json).map_err(|e| corrupt(e.to_string()))?;
        let spent = revocation_link::Entity::update_many()
            .col_expr(revocation_link::Column::UsedAt, Expr::value(now))
            .filter(revocation_link::Column::Id.eq(link.id))
            .filter(revocation_link::Column::UsedAt.is_null())
            .exec(&self.db)
            .await?;
        if spent.rows_affected != 1 {
            return Ok(Confirmed::Unknown);
        }
        let Some(found) = request::Entity::find_by_id(link.request_id).one(&self.db).await? else {
            return Ok(Confirmed::Unknown);
        };
        Ok(Confirmed::Take(Box::new(found), action))
    }
}
