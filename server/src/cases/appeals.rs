//! An appeal's link to the refused request it appeals: who refused it,
//! which the state machine needs to keep the refuser from deciding the
//! appeal, and the references both case pages show.

use app::domain::RequestDetails;
use app::domain::case::{AppealLinks, StaffMember};
use app::domain::clock::appeals::{self, AttorneyGeneral};
use app::domain::{EventKind, ReferenceCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

use super::{CaseDesk, CaseError, Loaded};
use crate::db::entities::{request, request_event};
use crate::requests::StoreError;

impl CaseDesk {
    /// The staff member who recorded the outcome of the request `row`
    /// appeals; `None` for a request that appeals nothing.
    pub(super) async fn refuser_of(&self, row: &request::Model) -> Result<Option<i64>, CaseError> {
        let Some(original) = row.appeal_of else { return Ok(None) };
        let resolved = request_event::Entity::find()
            .filter(request_event::Column::RequestId.eq(original))
            .filter(request_event::Column::Kind.eq(EventKind::Resolved.as_str()))
            .order_by_desc(request_event::Column::Id)
            .one(&self.db)
            .await?;
        Ok(resolved.and_then(|event| event.actor_id))
    }

    /// What an appeal's decision letter names: the request appealed, and
    /// the Attorneys General the customer may complain to (their state's,
    /// or every one in force when they did not say).
    pub(super) fn appeal_facts(&self, found: &Loaded) -> Result<(String, Vec<String>), CaseError> {
        let corrupt = |reason: String| StoreError::Corrupt { id: found.row.id, reason };
        let details = self.vault().open_details(&found.row).map_err(|e| corrupt(e.to_string()))?;
        let details: RequestDetails = serde_json::from_str(&details).map_err(|e| corrupt(e.to_string()))?;
        let RequestDetails::Appeal { appeal_of, state, .. } = details else {
            return Err(corrupt("an appeal without an appeal's details".to_owned()).into());
        };
        let offices = appeals::to_name(self.clocks.rules().attorneys_general(), state);
        Ok((appeal_of, offices.into_iter().map(AttorneyGeneral::contact).collect()))
    }

    /// Both ends of an appeal, as the case page shows them.
    pub(super) async fn appeal_links(
        &self,
        row: &request::Model,
        staff: &HashMap<i64, StaffMember>,
    ) -> Result<AppealLinks, CaseError> {
        let reference =
            |found: Option<request::Model>| found.and_then(|found| ReferenceCode::parse(&found.reference).ok());
        let appeals = match row.appeal_of {
            Some(original) => reference(request::Entity::find_by_id(original).one(&self.read).await?),
            None => None,
        };
        let refused_by = self.refuser_of(row).await?.and_then(|id| staff.get(&id)).map(|member| member.name.clone());
        let appealed_by =
            reference(request::Entity::find().filter(request::Column::AppealOf.eq(row.id)).one(&self.read).await?);
        Ok(AppealLinks { appeals, refused_by, appealed_by })
    }
}
