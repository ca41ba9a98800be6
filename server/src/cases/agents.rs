//! A request made by an agent for the customer (11 CCR 7063): staff see
//! the agent's signed permission or power of attorney among its documents
//! and verify their authority, a step of its own before any work starts.

use app::domain::request::Choice;
use app::domain::workflow::{Gate, Reviewer};
use app::domain::{EventKind, ReferenceCode, Viewer};
use chrono::Utc;
use sea_orm::sea_query::Expr;

use super::change::{Change, Versioned};
use super::{CaseDesk, CaseError, Loaded};
use crate::db::entities::request;

impl CaseDesk {
    /// What the state machine must know of `viewer` and the case besides
    /// its status: whether they refused the request an appeal appeals, and
    /// whether an agent's authority is still unverified.
    pub(super) async fn gate(&self, viewer: &Viewer, found: &Loaded) -> Result<Gate, CaseError> {
        Ok(Gate {
            reviewer: Reviewer::of(viewer.id, self.refuser_of(&found.row).await?),
            agent_unverified: found.agent.is_some() && found.row.agent_verified_at.is_none(),
        })
    }

    /// Staff verified the agent's authority to act for the customer.
    pub async fn verify_agent(
        &self,
        viewer: &Viewer,
        reference: &ReferenceCode,
        version: i64,
    ) -> Result<(), CaseError> {
        let found = self.load(reference).await?;
        if found.row.version != version {
            return Err(CaseError::Conflict);
        }
        let Some(agent) = &found.agent else {
            return Err(CaseError::NotNow("This request was made by the customer, not by an agent."));
        };
        if found.row.agent_verified_at.is_some() || !found.status.is_open() {
            return Err(CaseError::NotNow("The agent's authority was verified already, or the request is finished."));
        }
        let now = Utc::now();
        let change = Change {
            at: now,
            update: Some(Versioned { version, set: vec![(request::Column::AgentVerifiedAt, Expr::value(now))] }),
            event: EventKind::AgentVerified,
            // Shown on the customer's timeline too: the agent, by name and role.
            body: Some(format!("{} ({})", agent.name, agent.relationship.label())),
            action: "request.agent_verified",
            detail: serde_json::json!({ "relationship": agent.relationship.as_str() }),
            letter: None,
            entry: None,
            notices: Vec::new(),
            documents: Vec::new(),
            released: Vec::new(),
        };
        self.versioned_change(viewer, &found, change).await
    }
}
