//! Appealing a refusal from its tracking page: the appeal is a request of
//! its own (kind `appeal`), with its own reference, private link, receipt
//! and clock, pointing at the request it appeals. The workflow says which
//! requests may be appealed; this checks it against what is stored.

use app::domain::clock::Regime;
use app::domain::metrics::OutcomeClass;
use app::domain::tracking::AppealStanding;
use app::domain::workflow::{self, CustomerStep};
use app::domain::{Agent, Language, NewRequest, ReferenceCode, RequestDetails, RequestStatus};

use super::{Appealing, Receipt, RequestStore, StoreError};
use crate::db::entities::request;

impl RequestStore {
    /// Files the customer's appeal of `tracked`, refused with
    /// [`StoreError::NotAppealable`] when the workflow does not allow it.
    pub async fn appeal(
        &self,
        tracked: &request::Model,
        state: Option<Regime>,
        grounds: &str,
    ) -> Result<Receipt, StoreError> {
        if !matches!(self.appeal_standing(tracked).await?, Some(AppealStanding::Open { .. })) {
            return Err(StoreError::NotAppealable);
        }
        let contact = self.vault().open_contact(tracked)?;
        // An agent who acted for the customer acts on the appeal too, with
        // the authority staff verified on the request it appeals.
        let agent = self
            .vault()
            .open_agent(tracked)?
            .map(|json| serde_json::from_str::<Agent>(&json))
            .transpose()
            .map_err(|e| StoreError::Corrupt { id: tracked.id, reason: e.to_string() })?;
        let details =
            RequestDetails::Appeal { appeal_of: tracked.reference.clone(), state, grounds: grounds.to_owned() };
        let language = Language::parse(&tracked.language).unwrap_or(Language::En);
        let appealing = Appealing { request: tracked.id, agent_verified_at: tracked.agent_verified_at, language };
        self.submit_appeal(&NewRequest { contact, details, agent }, appealing).await
    }

    /// Where `tracked` stands with an appeal: open to one, appealed
    /// already, or neither (`None`).
    pub async fn appeal_standing(&self, tracked: &request::Model) -> Result<Option<AppealStanding>, StoreError> {
        let status = RequestStatus::parse(&tracked.status);
        let class = tracked.outcome_tag.as_deref().and_then(OutcomeClass::parse);
        let takes_appeal = status.and_then(|status| workflow::customer_next(status, CustomerStep::Appeal)).is_some();
        if !takes_appeal || tracked.purged_at.is_some() {
            return Ok(None);
        }
        let rules = self.clocks.rules();
        if let Some(appeal) = self.appeal_of(tracked.id).await? {
            let reference = ReferenceCode::parse(&appeal.reference)
                .map_err(|e| StoreError::Corrupt { id: appeal.id, reason: e.to_string() })?;
            let status = RequestStatus::parse(&appeal.status)
                .ok_or_else(|| StoreError::Corrupt { id: appeal.id, reason: format!("status {:?}", appeal.status) })?;
            let filed_on = self.clocks.local_date(appeal.received_at);
            return Ok(Some(AppealStanding::Filed { reference, status, filed_on, due_on: appeal.due_on }));
        }
        if !workflow::appeal_open(class, rules.appeals_offered()) {
            return Ok(None);
        }
        let states = rules.attorneys_general().iter().map(|office| (office.regime, office.state.clone())).collect();
        Ok(Some(AppealStanding::Open { states }))
    }
}
