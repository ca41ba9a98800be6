//! Granting the one extension the law allows: only before the deadline,
//! only with a reason, and only where a rule provides for it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::request_clock::{Deadline, RequestClock};
use crate::domain::format::long_date;

/// An extension granted to a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// The new response deadline.
    pub respond_by: Deadline,
    pub reason: String,
    /// Whether the customer must be sent a written notice with the reason
    /// and the new date before the original deadline ends.
    pub notice_required: bool,
}

/// The deadline one extension would give, worked out with the rest of the
/// clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct ExtensionOffer {
    pub(super) respond_by: Deadline,
    pub(super) paused_days: u32,
    pub(super) notice_required: bool,
}

impl ExtensionOffer {
    pub(super) fn grant(&self, reason: &str) -> Extension {
        Extension {
            respond_by: self.respond_by.clone(),
            reason: reason.trim().to_owned(),
            notice_required: self.notice_required,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExtensionError {
    #[error("The deadline under {citation} cannot be extended.")]
    NotAllowed { citation: String },
    #[error("This request was already extended, to {}; the law allows one extension.", long_date(*.due))]
    AlreadyExtended { due: NaiveDate },
    #[error("The deadline of {} has passed; an extension must be granted before it ends.", long_date(*.due))]
    DeadlinePassed { due: NaiveDate },
    #[error("Give the reason for the extension: the customer must be told it.")]
    BlankReason,
}

impl RequestClock {
    /// Grants an extension on `today`. Store the reason and pass it back in
    /// `ClockInput::extension_reason` so later clocks keep the extension.
    pub fn grant_extension(&self, today: NaiveDate, reason: &str) -> Result<Extension, ExtensionError> {
        let offer = self.extension_offer(today)?;
        if reason.trim().is_empty() {
            return Err(ExtensionError::BlankReason);
        }
        Ok(offer.grant(reason))
    }

    /// Whether an extension may be granted on `today`, so that staff are
    /// offered the form only when the rules would accept it.
    pub fn may_extend(&self, today: NaiveDate) -> bool {
        self.extension_offer(today).is_ok()
    }

    fn extension_offer(&self, today: NaiveDate) -> Result<&ExtensionOffer, ExtensionError> {
        let Some(offer) = &self.offer else {
            return Err(ExtensionError::NotAllowed { citation: self.respond_by.citation.clone() });
        };
        if let Some(extension) = &self.extended {
            return Err(ExtensionError::AlreadyExtended { due: extension.respond_by.due });
        }
        if today > self.respond_by.due {
            return Err(ExtensionError::DeadlinePassed { due: self.respond_by.due });
        }
        Ok(offer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RequestKind::{Amendment, OptOut};
    use crate::domain::clock::fixtures::{clock, date, input};
    use crate::domain::clock::{ClockInput, Pauses, Regime};

    const REASON: &str = "The records are archived off-site";

    #[test]
    fn an_extension_gives_the_rule_s_extra_time_once() {
        let no_pauses = Pauses::default();
        let cases: [(&[Regime], &str, &str, &str); 4] = [
            (&[Regime::Hipaa], "2026-03-03T10:00:00", "2026-06-01", "hipaa_amendment"),
            (&[Regime::Ccpa], "2026-03-03T10:00:00", "2026-06-01", "ccpa_correct"),
            (&[Regime::Gdpr], "2026-01-31T10:00:00", "2026-04-28", "gdpr_rectification"),
            // CCPA governs at 45 days; extended, both laws give 90 days and
            // the first listed rule takes the tie.
            (&[Regime::Hipaa, Regime::Ccpa], "2026-03-03T10:00:00", "2026-06-01", "hipaa_amendment"),
        ];
        for (regimes, received, due, rule_id) in cases {
            let original = clock(regimes, &input(Amendment, received, &no_pauses));
            let extension = original.grant_extension(original.respond_by.due, &format!("  {REASON} ")).unwrap();
            assert_eq!((extension.respond_by.due, extension.respond_by.rule_id.as_str()), (date(due), rule_id));
            assert_eq!(extension.reason, REASON);
            assert!(extension.notice_required);

            let request = ClockInput { extension_reason: Some(REASON), ..input(Amendment, received, &no_pauses) };
            let extended = clock(regimes, &request);
            assert_eq!(extended.extended.as_ref(), Some(&extension));
            assert_eq!(extended.respond_by, original.respond_by, "the original deadline stays on record");
            assert_eq!(extended.due(), date(due));
            assert_eq!(
                extended.grant_extension(date("2026-03-04"), REASON),
                Err(ExtensionError::AlreadyExtended { due: date(due) })
            );
        }
    }

    #[test]
    fn the_extension_is_explained() {
        let no_pauses = Pauses::default();
        let hipaa = clock(&[Regime::Hipaa], &input(Amendment, "2026-03-03T10:00:00", &no_pauses));
        let extension = hipaa.grant_extension(date("2026-04-20"), REASON).unwrap();
        assert_eq!(
            extension.respond_by.explanation,
            "60 calendar days from receipt on 3 March 2026, extended by 30 calendar days (HIPAA 45 CFR 164.526(b)(2))"
        );
    }

    #[test]
    fn extensions_are_refused_when_the_law_does_not_allow_them() {
        let no_pauses = Pauses::default();
        let opt_out = clock(&[Regime::Glba, Regime::Ccpa], &input(OptOut, "2026-03-03T10:00:00", &no_pauses));
        let hipaa = clock(&[Regime::Hipaa], &input(Amendment, "2026-03-03T10:00:00", &no_pauses));
        let cases = [
            (
                &opt_out,
                "2026-03-04",
                REASON,
                ExtensionError::NotAllowed { citation: "GLBA Reg P 12 CFR 1016.7(e)".into() },
            ),
            (&hipaa, "2026-05-03", REASON, ExtensionError::DeadlinePassed { due: date("2026-05-02") }),
            (&hipaa, "2026-04-20", " \n", ExtensionError::BlankReason),
        ];
        for (clock, today, reason, error) in cases {
            assert_eq!(clock.grant_extension(date(today), reason), Err(error));
        }
    }

    #[test]
    fn an_extension_is_offered_only_where_it_would_be_granted() {
        let no_pauses = Pauses::default();
        let opt_out = clock(&[Regime::Glba, Regime::Ccpa], &input(OptOut, "2026-03-03T10:00:00", &no_pauses));
        let hipaa = clock(&[Regime::Hipaa], &input(Amendment, "2026-03-03T10:00:00", &no_pauses));
        let extended =
            ClockInput { extension_reason: Some(REASON), ..input(Amendment, "2026-03-03T10:00:00", &no_pauses) };
        let extended = clock(&[Regime::Hipaa], &extended);
        let cases = [
            (&opt_out, "2026-03-04", false),
            (&hipaa, "2026-03-04", true),
            (&hipaa, "2026-05-02", true),
            (&hipaa, "2026-05-03", false),
            (&extended, "2026-03-04", false),
        ];
        for (clock, today, offered) in cases {
            assert_eq!(clock.may_extend(date(today)), offered, "{today}");
            assert_eq!(clock.may_extend(date(today)), clock.grant_extension(date(today), REASON).is_ok());
        }
    }

    #[test]
    fn refusals_read_as_sentences() {
        let cases = [
            (
                ExtensionError::AlreadyExtended { due: date("2026-06-01") },
                "This request was already extended, to 1 June 2026; the law allows one extension.",
            ),
            (
                ExtensionError::DeadlinePassed { due: date("2026-05-02") },
                "The deadline of 2 May 2026 has passed; an extension must be granted before it ends.",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }
}
