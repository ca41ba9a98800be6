//! The notices an accepted amendment sends (45 CFR 164.526(c)(3)): one
//! letter to each person the customer named and each business associate
//! staff chose, composed here and written by the step's transaction.

use app::domain::notices::{self, NoticeChoice};
use app::domain::workflow::Outcome;
use app::domain::{Language, RequestDetails};

use super::{CaseDesk, CaseError, Loaded};
use crate::mail::{Composed, Letter};
use crate::requests::StoreError;

/// The letters to send, each with its address, and the names of those
/// told, for the customer's own letter.
#[derive(Default)]
pub(super) struct Notices {
    pub letters: Vec<(String, Composed)>,
    pub told: Vec<String>,
}

impl CaseDesk {
    pub(super) async fn notices(
        &self,
        found: &Loaded,
        outcome: &Outcome,
        choice: &NoticeChoice,
    ) -> Result<Notices, CaseError> {
        let records_changed = match outcome {
            Outcome::AmendmentAccepted { records_changed } => records_changed,
            Outcome::AmendmentPartlyAccepted { records_changed, .. } => records_changed,
            _ => return Ok(Notices::default()),
        };
        let corrupt = |reason: String| StoreError::Corrupt { id: found.row.id, reason };
        let details = self.vault().open_details(&found.row).map_err(|e| corrupt(e.to_string()))?;
        let named = match serde_json::from_str(&details).map_err(|e| corrupt(e.to_string()))? {
            RequestDetails::Amendment { notify, .. } => notify,
            _ => Vec::new(),
        };
        let associates = crate::associates::listed(&self.db).await?;
        if let Some(stranger) = choice.stranger(&named, &associates) {
            return Err(CaseError::NotARecipient(stranger.to_owned()));
        }
        let mut out = Notices::default();
        for recipient in notices::recipients(&named, &associates, choice) {
            let letter = self.mailer.compose(
                &Letter::AmendmentNotice {
                    recipient: &recipient.name,
                    customer: &found.name,
                    reference: &found.reference,
                    records_changed,
                    partly: matches!(outcome, Outcome::AmendmentPartlyAccepted { .. }),
                },
                Language::En,
            )?;
            out.letters.push((recipient.email, letter));
            out.told.push(recipient.name);
        }
        Ok(out)
    }
}
