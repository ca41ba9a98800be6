//! Legal holds: while one stands the case is never purged, whatever its
//! retention says. Placing and lifting one are changes like any other,
//! written through [`CaseDesk::versioned_change`].

use app::domain::{EventKind, ReferenceCode, Viewer};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;

use super::change::{Change, Versioned, at_version, text};
use super::{CaseDesk, CaseError};
use crate::db::entities::request;
use crate::requests::StoreError;
use crate::vault::Sealed;

impl CaseDesk {
    /// Puts a legal hold on the case: it is not purged until the hold is
    /// lifted, whatever its retention says.
    pub async fn hold(
        &self,
        viewer: &Viewer,
        reference: &ReferenceCode,
        version: i64,
        reason: &str,
    ) -> Result<(), CaseError> {
        let reason = text(reason, "Say why the request is held.")?;
        let found = self.load(reference).await?;
        at_version(&found, version)?;
        if found.row.held_at.is_some() {
            return Err(CaseError::Invalid("This request is already on legal hold."));
        }
        let at = Utc::now();
        let vault = self.vault();
        let sealed = vault.seal_hold_reason(found.reference.as_str(), reason).map_err(StoreError::from)?;
        let set = vec![
            (request::Column::HeldAt, Expr::value(Some(at))),
            (request::Column::HoldReason, Expr::value(Some(sealed))),
        ];
        let change = Change {
            at,
            update: Some(Versioned { version, set }),
            event: EventKind::HoldPlaced,
            body: Some(reason.to_owned()),
            action: "request.hold_placed",
            detail: serde_json::json!({ "reason": vault.digest(reason) }),
            letter: None,
            entry: None,
            notices: Vec::new(),
            documents: Vec::new(),
            released: Vec::new(),
        };
        self.versioned_change(viewer, &found, change).await
    }

    /// Lifts the legal hold; the case's retention applies again.
    pub async fn release(&self, viewer: &Viewer, reference: &ReferenceCode, version: i64) -> Result<(), CaseError> {
        let found = self.load(reference).await?;
        at_version(&found, version)?;
        if found.row.held_at.is_none() {
            return Err(CaseError::Invalid("This request is not on legal hold."));
        }
        let set = vec![
            (request::Column::HeldAt, Expr::value(Option::<DateTime<Utc>>::None)),
            (request::Column::HoldReason, Expr::value(Option::<Sealed>::None)),
        ];
        let change = Change {
            at: Utc::now(),
            update: Some(Versioned { version, set }),
            event: EventKind::HoldLifted,
            body: None,
            action: "request.hold_lifted",
            detail: serde_json::json!({}),
            letter: None,
            entry: None,
            notices: Vec::new(),
            documents: Vec::new(),
            released: Vec::new(),
        };
        self.versioned_change(viewer, &found, change).await
    }
}
