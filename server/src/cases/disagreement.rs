//! After a denial: the customer's statement of disagreement or their wish
//! that the request and denial go with future disclosures (from the
//! tracking page), and staff's rebuttal, copied to the customer by letter
//! (45 CFR 164.526(d)(3)). Each is a history event of the request, its text
//! sealed like every event body; the workflow says which may be taken.

use app::domain::disagreement::Disagreement;
use app::domain::workflow::{self, CustomerStep};
use app::domain::{EventKind, ReferenceCode, Viewer};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::change::{Change, Versioned};
use super::customer::{CUSTOMER, reference_of};
use super::{CaseDesk, CaseError, Loaded};
use crate::db::entities::{request, request_event};
use crate::mail::{CustomerNews, Letter};
use crate::requests::StoreError;

/// Why the tracking page refused an answer to a denial.
pub const NOT_OPEN_TO_STATEMENT: &str = "This request is not open to a statement of disagreement.";
pub const NOT_OPEN_TO_DISCLOSURE_WISH: &str =
    "This request is not open to that choice: your statement of disagreement already goes with any disclosure.";

impl CaseDesk {
    /// The customer's statement of disagreement with the denial, already
    /// checked against the word limit in force.
    pub async fn customer_disagree(&self, tracked: &request::Model, statement: &str) -> Result<(), CaseError> {
        let found = self.load(&reference_of(tracked)?).await?;
        let step = CustomerStep::StateDisagreement;
        self.customer_answer(&found, step, Some(statement), NOT_OPEN_TO_STATEMENT).await
    }

    /// Instead of a statement: the request and the denial are to go with
    /// any future disclosure of the information.
    pub async fn customer_wants_denial_disclosed(&self, tracked: &request::Model) -> Result<(), CaseError> {
        let found = self.load(&reference_of(tracked)?).await?;
        let step = CustomerStep::AskDenialWithDisclosures;
        self.customer_answer(&found, step, None, NOT_OPEN_TO_DISCLOSURE_WISH).await
    }

    async fn customer_answer(
        &self,
        found: &Loaded,
        step: CustomerStep,
        text: Option<&str>,
        refused: &'static str,
    ) -> Result<(), CaseError> {
        workflow::customer_next(found.status, step).ok_or(CaseError::Invalid(refused))?;
        if !self.disagreement_of(found).await?.is_some_and(|standing| standing.open_to(step)) {
            return Err(CaseError::Invalid(refused));
        }
        let vault = self.vault();
        let news = match step {
            CustomerStep::StateDisagreement => CustomerNews::Statement,
            _ => CustomerNews::DisclosureWish,
        };
        let told = self.tell_staff(found, false, news).await?;
        let change = Change {
            at: Utc::now(),
            // No column changes, but the version is raised, so that two
            // statements sent at once cannot both be taken.
            update: Some(Versioned { version: found.row.version, set: Vec::new() }),
            event: step.event(),
            body: text.map(str::to_owned),
            action: match step {
                CustomerStep::StateDisagreement => "request.disagreement_stated",
                _ => "request.denial_with_disclosures",
            },
            detail: serde_json::json!({ "statement": text.map(|text| vault.digest(text)) }),
            letter: None,
            entry: None,
            notices: vec![told],
            documents: Vec::new(),
            released: Vec::new(),
        };
        self.change_by(&CUSTOMER, None, found, change).await
    }

    /// Staff's rebuttal of the customer's statement: kept with it and the
    /// denial, and sent to the customer.
    pub async fn rebut(
        &self,
        viewer: &Viewer,
        reference: &ReferenceCode,
        version: i64,
        rebuttal: &str,
    ) -> Result<(), CaseError> {
        let rebuttal = super::change::text(rebuttal, "Write the rebuttal first.")?;
        let found = self.load(reference).await?;
        if found.row.version != version {
            return Err(CaseError::Conflict);
        }
        if !self.disagreement_of(&found).await?.is_some_and(|standing| standing.may_rebut()) {
            return Err(CaseError::NotNow("Only a statement of disagreement without a rebuttal can be rebutted."));
        }
        let letter = self.mailer.compose_for(
            &Letter::Rebuttal { name: &found.name, reference: &found.reference, rebuttal },
            found.by_post(),
            found.row.lang(),
        )?;
        let change = Change {
            at: Utc::now(),
            update: Some(Versioned { version, set: Vec::new() }),
            event: EventKind::Rebutted,
            body: Some(rebuttal.to_owned()),
            action: "request.rebutted",
            detail: serde_json::json!({ "rebuttal": self.vault().digest(rebuttal) }),
            letter: Some(letter),
            entry: None,
            notices: Vec::new(),
            documents: Vec::new(),
            released: Vec::new(),
        };
        self.versioned_change(viewer, &found, change).await
    }

    /// What the request's history says of its denial so far; `None` for a
    /// request that was not denied.
    async fn disagreement_of(&self, found: &Loaded) -> Result<Option<Disagreement>, CaseError> {
        let kinds = [EventKind::DisagreementStated, EventKind::DenialWithDisclosures, EventKind::Rebutted];
        let events = request_event::Entity::find()
            .filter(request_event::Column::RequestId.eq(found.row.id))
            .filter(request_event::Column::Kind.is_in(kinds.map(EventKind::as_str)))
            .order_by_asc(request_event::Column::Id)
            .all(&self.db)
            .await?;
        let vault = self.vault();
        let mut history = Vec::with_capacity(events.len());
        for event in &events {
            let body = vault
                .open_event_body(event)
                .map_err(|e| StoreError::Corrupt { id: found.row.id, reason: e.to_string() })?;
            history.push((EventKind::parse(&event.kind), body));
        }
        let history = history.iter().filter_map(|(kind, body)| Some(((*kind)?, body.as_deref())));
        Ok(Disagreement::of(found.kind, found.status, history, None))
    }
}
