//! What the customer does to their own case from the tracking page: the
//! steps the workflow gives them, written through the same versioned change
//! as a staff member's, with the customer as a system actor.

use app::domain::clock::{Pause, RequestClock};
use app::domain::documents::received_text;
use app::domain::metrics::OutcomeClass;
use app::domain::workflow::{self, CustomerStep};
use app::domain::{Language, ReferenceCode, RequestStatus};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use super::change::{Change, Versioned, seal_clock};
use super::{CaseDesk, CaseError, Loaded, clock_state};
use crate::audit;
use crate::db::entities::{request, request_document};
use crate::mail::{Composed, CustomerNews, Letter};
use crate::requests::StoreError;
use crate::vault::rows::ClockColumn;

/// Who the audit log says acted when the customer did.
pub(super) const CUSTOMER: audit::Actor = audit::Actor::System("customer");

/// Why a customer's step was refused, as the tracking page tells it.
pub const NOT_OPEN_TO_REPLY: &str = "This request is not open to a reply.";
pub const NOT_OPEN_TO_WITHDRAW: &str = "This request is already finished, so it cannot be withdrawn.";
pub const NOT_OPEN_TO_DOCUMENTS: &str = "This request is finished, so it takes no more documents.";

impl CaseDesk {
    /// The customer's reply to a message or a request for information. A
    /// reply while the clock waits on them ends the wait: the pause closes
    /// today, so the deadline moves by exactly the days it lasted. The
    /// assignee, or the team when nobody holds the case, is told.
    pub async fn customer_reply(&self, tracked: &request::Model, message: &str) -> Result<RequestStatus, CaseError> {
        let found = self.load(&reference_of(tracked)?).await?;
        let step = CustomerStep::Reply;
        let next = workflow::customer_next(found.status, step).ok_or(CaseError::Invalid(NOT_OPEN_TO_REPLY))?;
        let mut set = vec![(request::Column::Status, Expr::value(next.as_str()))];
        let resumed = found.status != next;
        if resumed {
            set.extend(self.end_wait(&found)?);
        }
        let vault = self.vault();
        let told = self.tell_staff(&found, resumed, CustomerNews::Reply).await?;
        let change = Change {
            at: Utc::now(),
            update: Some(Versioned { version: found.row.version, set }),
            event: step.event(),
            body: Some(message.to_owned()),
            action: "request.customer_replied",
            detail: serde_json::json!({
                "from": found.status.as_str(),
                "to": next.as_str(),
                "reply": vault.digest(message),
            }),
            letter: None,
            entry: None,
            notices: vec![told],
            documents: Vec::new(),
            released: Vec::new(),
        };
        self.change_by(&CUSTOMER, None, &found, change).await?;
        Ok(next)
    }

    /// The customer withdraws a request not yet finished, with an optional
    /// reason: it ends as withdrawn, counted under its own outcome, and
    /// the customer gets a letter saying so.
    pub async fn customer_withdraw(
        &self,
        tracked: &request::Model,
        reason: Option<&str>,
    ) -> Result<RequestStatus, CaseError> {
        let found = self.load(&reference_of(tracked)?).await?;
        let step = CustomerStep::Withdraw;
        let next = workflow::customer_next(found.status, step).ok_or(CaseError::Invalid(NOT_OPEN_TO_WITHDRAW))?;
        let now = Utc::now();
        let mut set = vec![
            (request::Column::Status, Expr::value(next.as_str())),
            (request::Column::ResolvedAt, Expr::value(now)),
            // No sealed outcome: a withdrawal says nothing of the person's
            // records, only that it ended so, which the tag keeps.
            (request::Column::OutcomeTag, Expr::value(OutcomeClass::Withdrawn.as_str())),
        ];
        if found.status == RequestStatus::AwaitingCustomer {
            set.extend(self.end_wait(&found)?);
        }
        let letter = self.mailer.compose(
            &Letter::Withdrawn { name: &found.name, reference: &found.reference, kind: found.kind, reason },
            found.row.lang(),
        )?;
        let vault = self.vault();
        let change = Change {
            at: now,
            update: Some(Versioned { version: found.row.version, set }),
            event: step.event(),
            body: reason.map(str::to_owned),
            action: "request.withdrawn",
            detail: serde_json::json!({
                "from": found.status.as_str(),
                "to": next.as_str(),
                "reason": reason.map(|reason| vault.digest(reason)),
            }),
            letter: Some(letter),
            entry: None,
            notices: Vec::new(),
            documents: Vec::new(),
            released: Vec::new(),
        };
        self.change_by(&CUSTOMER, None, &found, change).await?;
        Ok(next)
    }

    /// What the tracked request already holds of documents.
    pub async fn documents_held(&self, tracked: &request::Model) -> Result<crate::documents::Held, CaseError> {
        Ok(crate::documents::held(&self.db, tracked.id).await?)
    }

    /// Supporting documents from the customer, all written with the one
    /// event that tells of them; the assignee, or the team, is told as of a
    /// reply. Sent while the request waits on the customer they end the
    /// wait as a reply does: what staff ask for is most often a document,
    /// and a clock left stopped after it arrived would undercount the days
    /// the organisation took.
    pub async fn customer_documents(
        &self,
        tracked: &request::Model,
        accepted: Vec<crate::documents::Accepted>,
    ) -> Result<(), CaseError> {
        let found = self.load(&reference_of(tracked)?).await?;
        let now = Utc::now();
        let (documents, names) = self.seal_documents(&found, accepted, now, None)?;
        self.documents_arrived(&found, now, names, documents, Vec::new()).await
    }

    /// Documents sent through a tracking link too old to act by itself:
    /// checked like any, sealed and kept unseen until `until` (the expiry of
    /// the confirmation link the customer is mailed); their ids, for it.
    pub async fn hold_documents(
        &self,
        tracked: &request::Model,
        accepted: Vec<crate::documents::Accepted>,
        until: DateTime<Utc>,
    ) -> Result<Vec<String>, CaseError> {
        let found = self.load(&reference_of(tracked)?).await?;
        workflow::customer_next(found.status, CustomerStep::SendDocuments)
            .ok_or(CaseError::Invalid(NOT_OPEN_TO_DOCUMENTS))?;
        let (documents, _) = self.seal_documents(&found, accepted, Utc::now(), Some(until))?;
        let held = documents.iter().filter_map(|document| document.uid.clone().take()).collect();
        let txn = self.db.begin().await?;
        request_document::Entity::insert_many(documents).exec(&txn).await?;
        // The link about to be mailed releases the earlier held ones too:
        // they are kept as long as it works.
        request_document::Entity::update_many()
            .col_expr(request_document::Column::HeldUntil, Expr::value(until))
            .filter(request_document::Column::RequestId.eq(found.row.id))
            .filter(request_document::Column::HeldUntil.is_not_null())
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(held)
    }

    /// The ids of the documents the request holds until the customer
    /// confirms: the next confirmation link releases them all.
    pub async fn held_documents(&self, tracked: &request::Model) -> Result<Vec<String>, CaseError> {
        Ok(request_document::Entity::find()
            .filter(request_document::Column::RequestId.eq(tracked.id))
            .filter(request_document::Column::HeldUntil.is_not_null())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| row.uid)
            .collect())
    }

    /// Held documents no confirmation link will release (none was sent).
    pub async fn drop_held_documents(&self, tracked: &request::Model, held: &[String]) -> Result<(), CaseError> {
        request_document::Entity::delete_many()
            .filter(request_document::Column::RequestId.eq(tracked.id))
            .filter(request_document::Column::Uid.is_in(held.iter().map(String::as_str)))
            .filter(request_document::Column::HeldUntil.is_not_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The customer confirmed documents held since they sent them through
    /// an old link: they arrive now, as if sent through a fresh one.
    pub async fn release_documents(&self, tracked: &request::Model, held: &[String]) -> Result<(), CaseError> {
        let found = self.load(&reference_of(tracked)?).await?;
        let rows = request_document::Entity::find()
            .filter(request_document::Column::RequestId.eq(found.row.id))
            .filter(request_document::Column::Uid.is_in(held.iter().map(String::as_str)))
            .filter(request_document::Column::HeldUntil.is_not_null())
            .all(&self.db)
            .await?;
        if rows.is_empty() {
            return Err(CaseError::Invalid(NOT_OPEN_TO_DOCUMENTS));
        }
        let vault = self.vault();
        let names = rows
            .iter()
            .map(|row| vault.open_document_name(row))
            .collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::from)?;
        let released = rows.into_iter().map(|row| row.uid).collect();
        self.documents_arrived(&found, Utc::now(), names, Vec::new(), released).await
    }

    /// Seals `accepted` as rows of the request, held until `held_until`
    /// when that is set; with the names as sent, for the event.
    fn seal_documents(
        &self,
        found: &Loaded,
        accepted: Vec<crate::documents::Accepted>,
        now: DateTime<Utc>,
        held_until: Option<DateTime<Utc>>,
    ) -> Result<(Vec<request_document::ActiveModel>, Vec<String>), CaseError> {
        let vault = self.vault();
        let mut documents = Vec::with_capacity(accepted.len());
        let mut names = Vec::with_capacity(accepted.len());
        for document in accepted {
            let uid = crate::secret::hex(&rand::random::<[u8; 16]>());
            let (name, content) =
                vault.seal_document(&uid, &document.name, &document.bytes).map_err(StoreError::from)?;
            documents.push(request_document::ActiveModel {
                uid: Set(uid),
                request_id: Set(found.row.id),
                kind: Set(document.kind.as_str().to_owned()),
                size: Set(i64::try_from(document.bytes.len()).unwrap_or(i64::MAX)),
                name: Set(name),
                content: Set(content),
                received_at: Set(now),
                held_until: Set(held_until),
                ..Default::default()
            });
            names.push(document.name);
        }
        Ok((documents, names))
    }

    /// The one event that tells of documents arriving, new (`documents`)
    /// or held until now (`released`), ending any wait on the customer.
    async fn documents_arrived(
        &self,
        found: &Loaded,
        now: DateTime<Utc>,
        names: Vec<String>,
        documents: Vec<request_document::ActiveModel>,
        released: Vec<String>,
    ) -> Result<(), CaseError> {
        let step = CustomerStep::SendDocuments;
        let next = workflow::customer_next(found.status, step).ok_or(CaseError::Invalid(NOT_OPEN_TO_DOCUMENTS))?;
        let resumed = (next != found.status).then_some(next);
        let update = match resumed {
            Some(next) => {
                let mut set = vec![(request::Column::Status, Expr::value(next.as_str()))];
                set.extend(self.end_wait(found)?);
                Some(Versioned { version: found.row.version, set })
            }
            None => None,
        };
        let count = names.len();
        let told = self.tell_staff(found, resumed.is_some(), CustomerNews::Documents(count)).await?;
        let change = Change {
            at: now,
            update,
            event: step.event(),
            body: Some(received_text(&names)),
            action: "request.documents_sent",
            detail: serde_json::json!({
                "count": count,
                "held": !released.is_empty(),
                "to": resumed.map(RequestStatus::as_str),
            }),
            letter: None,
            entry: None,
            notices: vec![told],
            documents,
            released,
        };
        self.change_by(&CUSTOMER, None, found, change).await
    }

    /// The columns that close the wait on the customer today and carry the
    /// clock recomputed with it.
    fn end_wait(&self, found: &Loaded) -> Result<Vec<(request::Column, Expr)>, CaseError> {
        let vault = self.vault();
        let mut state = clock_state(vault, &found.row)?;
        if let Some(asked) = state.pauses.open_since.take() {
            state.pauses.closed.push(Pause { asked, answered: self.clocks.today() });
        }
        let clock = self.clocks.compute(found.kind, found.row.received_at, &state);
        let at = found.reference.as_str();
        let sealed_clock = clock.as_ref().map(|clock| seal_clock(vault, at, ClockColumn::Clock, clock)).transpose()?;
        Ok(vec![
            (request::Column::ClockState, Expr::value(seal_clock(vault, at, ClockColumn::State, &state)?)),
            (request::Column::DueOn, Expr::value(clock.as_ref().map(RequestClock::due))),
            (request::Column::Clock, Expr::value(sealed_clock)),
        ])
    }

    /// The email telling the assignee, or the team, what the customer did,
    /// with only the reference and a link to the case.
    pub(super) async fn tell_staff(
        &self,
        found: &Loaded,
        resumed: bool,
        news: CustomerNews,
    ) -> Result<(String, Composed), CaseError> {
        let (name, address) = self.told_of(found).await?;
        let case_url = self.mailer.link(&format!("staff/requests/{}", found.reference));
        let letter = self.mailer.compose(
            &Letter::CustomerReplied {
                name: &name,
                reference: &found.reference,
                kind: found.kind,
                case_url: &case_url,
                resumed,
                news,
            },
            Language::En,
        )?;
        Ok((address, letter))
    }

    /// Whom a customer's step is announced to, by name and address: the
    /// active colleague who holds the case, else the team's mailbox.
    async fn told_of(&self, found: &Loaded) -> Result<(String, String), CaseError> {
        if let Some(id) = found.row.assignee_id {
            let staff = self.staff.list().await?;
            if let Some(member) = staff.into_iter().find(|member| member.id == id && member.active) {
                return Ok((member.name, member.email));
            }
        }
        Ok(("privacy team".to_owned(), self.team_address.clone()))
    }
}

pub(super) fn reference_of(row: &request::Model) -> Result<ReferenceCode, CaseError> {
    ReferenceCode::parse(&row.reference)
        .map_err(|e| CaseError::Store(StoreError::Corrupt { id: row.id, reason: e.to_string() }))
}
