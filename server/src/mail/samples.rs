//! A sample request for each letter administrators may reword: what the
//! editor's preview shows, and what a new wording must render, and still
//! say what the rules require, before it is saved. Made-up values only;
//! the customer's name carries markup, so the preview shows it escaped.

use app::domain::format::long_date_in;
use app::domain::request::ComplaintCategory;
use app::domain::workflow::{CloseReason, DenialGround, Outcome};
use app::domain::{Language, ReferenceCode, RequestKind};
use chrono::NaiveDate;

use super::Letter;

pub const NAME: &str = "Jordan <Sample> Reyes";
pub const REFERENCE: &str = "PR-7K4M-9QXR";
pub const TRACKING_URL: &str = "https://privacy.example.com/track/SAMPLE-TRACKING-LINK";
pub const ACTION_URL: &str = "https://privacy.example.com/confirm/SAMPLE-CONFIRMATION-LINK";
pub const EXPLANATION: &str = "Your insurer's records and ours both show member number 1234.";
pub const RECORDS_CHANGED: &str = "Insurance record: member number";
pub const REASON: &str = "We are waiting for your insurer's records.";
pub const RESOLUTION: &str = "We removed your number from the calling list and spoke to the team.";
pub const WHAT: &str = "A photo of the front of your insurance card.";
pub const NOTE: &str = "Same as request PR-ABCD-EFGH.";
pub const MESSAGE: &str = "We have asked your insurer for their records.";
pub const DECISION: &str = "We will correct your member number by 20 December 2026.";
pub const APPEAL_OF: &str = "PR-ABCD-EFGH";
pub const ATTORNEY_GENERAL: &str = "Office of the Attorney General of Virginia, Consumer Protection Section: https://www.oag.state.va.us/consumer-protection/";

/// The extended deadline, in `lang` as the letter writes it.
pub fn new_date(lang: Language) -> String {
    long_date_in(EXTENDED_TO, lang)
}

/// The day the sample opt-out took effect, in `lang`.
pub fn effective_on(lang: Language) -> String {
    long_date_in(EFFECTIVE_ON, lang)
}

const RECEIVED_ON: NaiveDate = day(2026, 11, 25);
const ANSWER_BY: NaiveDate = day(2027, 1, 24);
const EXTENDED_TO: NaiveDate = day(2027, 2, 23);
const EFFECTIVE_ON: NaiveDate = day(2026, 12, 7);

/// A day of the samples, checked when the binary is compiled: a sample
/// date that is no day stops the build, never a letter.
const fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("a sample date is a real day"),
    }
}

/// The owned values the sample letters borrow, in one language.
pub struct Sample {
    lang: Language,
    reference: ReferenceCode,
    denied: Outcome,
    accepted: Outcome,
    opted_out: Outcome,
    resolved: Outcome,
    appeal_granted: Outcome,
    appeal_denied: Outcome,
    told: Vec<String>,
    attorneys_general: Vec<String>,
}

impl Sample {
    pub fn new(lang: Language) -> Self {
        Self {
            lang,
            reference: ReferenceCode::parse(REFERENCE).expect("the sample reference is well formed"),
            denied: Outcome::AmendmentDenied {
                ground: DenialGround::AccurateAndComplete,
                explanation: EXPLANATION.to_owned(),
            },
            accepted: Outcome::AmendmentPartlyAccepted {
                records_changed: RECORDS_CHANGED.to_owned(),
                reason: "The plan name was already right.".to_owned(),
            },
            opted_out: Outcome::OptOutApplied { effective_on: EFFECTIVE_ON },
            resolved: Outcome::ComplaintResolved {
                category: ComplaintCategory::UnwantedMarketing,
                resolution: RESOLUTION.to_owned(),
            },
            appeal_granted: Outcome::AppealGranted { decision: DECISION.to_owned() },
            appeal_denied: Outcome::AppealDenied { explanation: EXPLANATION.to_owned() },
            told: vec!["Dr Joan Okafor".to_owned()],
            attorneys_general: vec![ATTORNEY_GENERAL.to_owned()],
        }
    }

    /// The sample of the letter with this template name, if it is one
    /// administrators may reword.
    pub fn letter(&self, template: &str) -> Option<Letter<'_>> {
        let (name, reference, lang) = (NAME, &self.reference, self.lang);
        let outcome = |outcome| Letter::Outcome {
            name,
            reference,
            outcome,
            told: &self.told,
            covers: None,
            appeal_offered: true,
            appeal_of: None,
            attorneys_general: &[],
        };
        let appeal = |outcome| Letter::Outcome {
            name,
            reference,
            outcome,
            told: &[],
            covers: None,
            appeal_offered: false,
            appeal_of: Some(APPEAL_OF),
            attorneys_general: &self.attorneys_general,
        };
        Some(match template {
            "receipt" => Letter::Receipt {
                name,
                reference,
                kind: RequestKind::Amendment,
                summary: "Amend insurance information",
                received_on: long_date_in(RECEIVED_ON, lang),
                tracking_url: TRACKING_URL,
                verify_url: Some(ACTION_URL),
                valid_hours: 72,
                answer_by: Some(long_date_in(ANSWER_BY, lang)),
                agent: None,
                on_behalf_of: None,
            },
            "verification" => Letter::Verification { name, reference, verify_url: ACTION_URL, valid_hours: 72 },
            "tracking_link" => {
                Letter::TrackingLink { name, reference, kind: RequestKind::Amendment, tracking_url: TRACKING_URL }
            }
            "confirm_action" => Letter::ConfirmAction {
                name,
                reference,
                what: app::text::letters::confirm_reply(lang),
                confirm_url: ACTION_URL,
                valid_hours: 72,
            },
            "confirm_revocation" => {
                Letter::ConfirmRevocation { name, reference, revoke_url: ACTION_URL, valid_hours: 72 }
            }
            "awaiting_customer" => {
                Letter::AwaitingCustomer { name, reference, kind: RequestKind::Amendment, what: WHAT, pauses: true }
            }
            "case_message" => Letter::CaseMessage { name, reference, kind: RequestKind::Amendment, body: MESSAGE },
            "extension" => Letter::Extension {
                name,
                reference,
                kind: RequestKind::Amendment,
                reason: REASON,
                old_date: long_date_in(ANSWER_BY, lang),
                new_date: new_date(lang),
                citation: "45 CFR 164.526(b)(2)",
            },
            "opt_out_applied" => outcome(&self.opted_out),
            "amendment_accepted" => outcome(&self.accepted),
            "amendment_denied" => outcome(&self.denied),
            "complaint_resolved" => outcome(&self.resolved),
            "appeal_granted" => appeal(&self.appeal_granted),
            "appeal_denied" => appeal(&self.appeal_denied),
            "amendment_notice" => Letter::AmendmentNotice {
                recipient: "Dr Joan Okafor",
                customer: name,
                reference,
                records_changed: RECORDS_CHANGED,
                partly: false,
            },
            "case_closed" => Letter::CaseClosed {
                name,
                reference,
                kind: RequestKind::Amendment,
                reason: CloseReason::Duplicate,
                note: NOTE,
            },
            "closed_unverified" => {
                Letter::ClosedUnverified { name, reference, kind: RequestKind::Amendment, close_days: 14 }
            }
            "withdrawn" => Letter::Withdrawn {
                name,
                reference,
                kind: RequestKind::Amendment,
                reason: Some("I sorted it out by phone."),
            },
            _ => return None,
        })
    }
}
