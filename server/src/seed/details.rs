//! What seeded customers ask for and how staff answer: the details of each
//! kind of request and the outcomes they end with.

use app::domain::RequestDetails;
use app::domain::format::{long_date, month_and_year};
use app::domain::request::{AmendmentCategory, ComplaintCategory, JointAccount, OptOutScope};
use app::domain::workflow::{DenialGround, Outcome};
use app::domain::{Channel, RequestKind};
use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;

use super::maker::Maker;
use super::words::{DEVICES, INSURERS, PARTLY_REASONS, SIZES, SUPPORTING};

impl Maker {
    pub(super) fn details(
        &mut self,
        kind: RequestKind,
        channel: Channel,
        received: NaiveDate,
        name: &str,
    ) -> RequestDetails {
        match kind {
            RequestKind::OptOut => RequestDetails::OptOut {
                scope: self.pick(&[(OptOutScope::AllSharing, 0.72), (OptOutScope::MarketingOnly, 0.28)]),
                joint_account: self.pick(&[
                    (JointAccount::NotJoint, 0.8),
                    (JointAccount::JustMe, 0.08),
                    (JointAccount::AllHolders, 0.12),
                ]),
                gpc: channel == Channel::Web && self.chance(0.18),
                other_holders: Vec::new(),
            },
            RequestKind::Amendment => {
                let category = self.pick(&[
                    (AmendmentCategory::ContactDetails, 0.3),
                    (AmendmentCategory::Insurance, 0.3),
                    (AmendmentCategory::MedicalRecord, 0.25),
                    (AmendmentCategory::Account, 0.15),
                ]);
                let (current, corrected, reason) = self.amendment_text(category, received, name);
                let date_of_birth =
                    (matches!(category, AmendmentCategory::Insurance | AmendmentCategory::MedicalRecord)
                        || self.chance(0.3))
                    .then(|| {
                        let age = self.rng.random_range(19..92);
                        NaiveDate::from_ymd_opt(
                            received.year() - age,
                            self.rng.random_range(1..=12),
                            self.rng.random_range(1..=28),
                        )
                    })
                    .flatten();
                let supporting_details = self.chance(0.35).then(|| self.one(SUPPORTING).to_owned());
                RequestDetails::Amendment {
                    category,
                    date_of_birth,
                    current_information: current,
                    corrected_information: corrected,
                    reason,
                    supporting_details,
                    notify: Vec::new(),
                }
            }
            RequestKind::Complaint => {
                let category = self.pick(&[
                    (ComplaintCategory::UnwantedMarketing, 0.38),
                    (ComplaintCategory::UnauthorisedDisclosure, 0.2),
                    (ComplaintCategory::SecurityConcern, 0.14),
                    (ComplaintCategory::RefusedRequest, 0.1),
                    (ComplaintCategory::Other, 0.18),
                ]);
                let back = self.rng.random_range(0..75);
                let occurred_on = received - Duration::days((back * back) / 75);
                RequestDetails::Complaint { category, occurred_on, description: self.complaint_text(category) }
            }
            // The seed draws only the kinds a form starts; an appeal needs
            // a refusal of its own to point at.
            RequestKind::Appeal => RequestDetails::Appeal {
                appeal_of: String::new(),
                state: None,
                grounds: "My insurer confirmed the member ID I gave you; your record is still wrong.".to_owned(),
            },
        }
    }

    fn amendment_text(
        &mut self,
        category: AmendmentCategory,
        received: NaiveDate,
        name: &str,
    ) -> (String, String, String) {
        match category {
            AmendmentCategory::ContactDetails => {
                let (old, new) = (self.address(), self.address());
                let month = month_and_year(received - Duration::days(self.rng.random_range(10..120)));
                let reason = match self.rng.random_range(0..3) {
                    0 => format!("I moved in {month} and my statements and deliveries still go to the old address."),
                    1 => "My supplies were delivered to my previous home twice this month.".to_owned(),
                    _ => format!(
                        "The address on file is out of date since {month}; the post office is no longer forwarding mail."
                    ),
                };
                (format!("Mailing address: {old}"), format!("Mailing address: {new}"), reason)
            }
            AmendmentCategory::Insurance => {
                let (from, to) = (self.one(INSURERS), self.one(INSURERS));
                let old =
                    format!("{} {:09}", from.split(' ').next().unwrap_or("XY"), self.rng.random_range(0..999_999_999));
                let new =
                    format!("{} {:09}", to.split(' ').next().unwrap_or("XY"), self.rng.random_range(0..999_999_999));
                let since = long_date(received - Duration::days(self.rng.random_range(5..90)));
                (
                    format!("Primary insurance: {from}, member ID {old}"),
                    format!("Primary insurance: {to}, member ID {new}"),
                    format!(
                        "My coverage changed on {since}; claims for my supplies are being denied under the old plan."
                    ),
                )
            }
            AmendmentCategory::MedicalRecord => {
                let device = self.one(DEVICES);
                match self.rng.random_range(0..3) {
                    0 => {
                        let (a, b) = (self.one(SIZES), self.one(SIZES));
                        (
                            format!("Prescription on file: {device}, size {a}"),
                            format!("Prescription: {device}, size {b}, as ordered by my physician"),
                            format!("My doctor's order says size {b}; the wrong size has been shipped."),
                        )
                    }
                    1 => (
                        "Allergies: latex".to_owned(),
                        "No known latex allergy".to_owned(),
                        "The latex allergy was recorded for another patient; it is not mine and it limits which products I am offered.".to_owned(),
                    ),
                    _ => (
                        format!("Diagnosis code on my {device} order is incorrect"),
                        "The diagnosis code on my physician's order (copy enclosed)".to_owned(),
                        "The wrong diagnosis code means my insurer will not cover the order.".to_owned(),
                    ),
                }
            }
            AmendmentCategory::Account => {
                let misspelt: String = {
                    let mut chars: Vec<char> = name.chars().collect();
                    let at = 1 + self.rng.random_range(0..chars.len().saturating_sub(2).max(1));
                    if at + 1 < chars.len() {
                        chars.swap(at, at + 1);
                    }
                    chars.into_iter().collect()
                };
                match self.rng.random_range(0..2) {
                    0 => (
                        format!("Account holder name: {misspelt}"),
                        format!("Account holder name: {name}"),
                        "My name is misspelled on the account and on every invoice.".to_owned(),
                    ),
                    _ => (
                        "Date of birth on the account is wrong".to_owned(),
                        "Date of birth as on my driver's licence".to_owned(),
                        "The pharmacy cannot match my account to my prescriptions.".to_owned(),
                    ),
                }
            }
        }
    }

    fn complaint_text(&mut self, category: ComplaintCategory) -> String {
        let device = self.one(DEVICES);
        let text = match category {
            ComplaintCategory::UnwantedMarketing => self.one(&[
                "I opted out last year but I still receive catalogues and phone calls every week.",
                "I keep getting marketing emails from a company I never heard of, mentioning my {device} order.",
                "A third party called me about {device} offers and knew what I had bought from you.",
                "I receive text messages advertising supplies although I never gave consent.",
            ]),
            ComplaintCategory::UnauthorisedDisclosure => self.one(&[
                "My order details for {device} were sent to my former employer.",
                "Someone at the store read out my prescription details in front of other customers.",
                "My neighbour received a package slip with my name and the {device} I ordered.",
                "My insurance information was shared with a relative without my permission.",
            ]),
            ComplaintCategory::SecurityConcern => self.one(&[
                "I received an email with another customer's invoice attached.",
                "Your website showed me someone else's order history after I signed in.",
                "I got a letter saying my data may have been exposed but nobody answers my questions.",
            ]),
            ComplaintCategory::RefusedRequest => self.one(&[
                "I asked for a copy of my records two months ago and nobody has replied.",
                "My request to correct my insurance details was refused without an explanation.",
            ]),
            ComplaintCategory::Other => self.one(&[
                "The privacy notice I received does not match what your staff told me on the phone.",
                "I was asked for my Social Security number to return a {device}, which seems unnecessary.",
                "I want to know who you share my purchase history with.",
            ]),
        };
        text.replace("{device}", device)
    }

    pub(super) fn outcome(&mut self, kind: RequestKind, details: &RequestDetails, day: NaiveDate) -> Outcome {
        match (kind, details) {
            (RequestKind::OptOut, _) => Outcome::OptOutApplied { effective_on: day },
            (RequestKind::Amendment, details) => {
                let changed = match details {
                    RequestDetails::Amendment { category: AmendmentCategory::ContactDetails, .. } => {
                        "Mailing address in the customer record and on open orders."
                    }
                    RequestDetails::Amendment { category: AmendmentCategory::Insurance, .. } => {
                        "Primary insurance and member ID; pending claims resubmitted."
                    }
                    RequestDetails::Amendment { category: AmendmentCategory::MedicalRecord, .. } => {
                        "Prescription record corrected and linked to the physician's order."
                    }
                    _ => "Account holder details corrected on the account and future invoices.",
                };
                match self.pick(&[(0, 0.56), (1, 0.18), (2, 0.26)]) {
                    0 => Outcome::AmendmentAccepted { records_changed: changed.to_owned() },
                    1 => Outcome::AmendmentPartlyAccepted {
                        records_changed: changed.to_owned(),
                        reason: self.one(PARTLY_REASONS).to_owned(),
                    },
                    _ => {
                        let ground = self.pick(&[
                            (DenialGround::AccurateAndComplete, 0.5),
                            (DenialGround::NotCreatedByUs, 0.25),
                            (DenialGround::NotInRecordSet, 0.2),
                            (DenialGround::NotOpenToInspection, 0.05),
                        ]);
                        let explanation = match ground {
                            DenialGround::AccurateAndComplete => {
                                "We checked the record against the physician's order and the insurer's file; both match what we hold."
                            }
                            DenialGround::NotCreatedByUs => {
                                "This information came from your insurer, who created it; please ask them to correct it and we will update our copy."
                            }
                            DenialGround::NotInRecordSet => {
                                "The item is a delivery note kept by our carrier, not part of the records we use to make decisions about you."
                            }
                            DenialGround::NotOpenToInspection => {
                                "The information was compiled for a pending legal proceeding and is not open to inspection."
                            }
                        };
                        Outcome::AmendmentDenied { ground, explanation: explanation.to_owned() }
                    }
                }
            }
            (RequestKind::Complaint, details) => {
                let category = match details {
                    RequestDetails::Complaint { category, .. } if self.chance(0.9) => *category,
                    _ => self.pick(&[(ComplaintCategory::UnwantedMarketing, 0.5), (ComplaintCategory::Other, 0.5)]),
                };
                let resolution = match category {
                    ComplaintCategory::UnwantedMarketing => {
                        "Removed from all marketing lists, including our partners'; confirmed the opt-out is recorded."
                    }
                    ComplaintCategory::UnauthorisedDisclosure => {
                        "Investigated; the disclosure was an addressing error. Staff retrained and the record corrected."
                    }
                    ComplaintCategory::SecurityConcern => {
                        "Referred to the security team, who found and fixed the cause; the customer was told what happened."
                    }
                    ComplaintCategory::RefusedRequest => {
                        "The original request was reopened and answered; an apology was sent."
                    }
                    ComplaintCategory::Other => {
                        "Explained our practices and pointed the customer to the privacy notice."
                    }
                };
                Outcome::ComplaintResolved { category, resolution: resolution.to_owned() }
            }
            (RequestKind::Appeal, _) => Outcome::AppealDenied {
                explanation: "A second reviewer checked the record against the insurer's file; it stands.".to_owned(),
            },
        }
    }
}
