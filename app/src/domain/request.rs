//! A request as the domain knows it once its form has been parsed: typed,
//! trimmed and trusted from here on.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::clock::Regime;
use super::{Language, RequestKind};

/// How to reach the person who asked, and how to find them in the records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub full_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub postal_address: Option<String>,
    pub account_number: Option<String>,
}

impl Contact {
    /// Whether the customer is answered by post: they gave no email address
    /// (staff entered their letter), so their letters are printed.
    pub fn by_post(&self) -> bool {
        self.email.trim().is_empty()
    }
}

/// A request ready to be stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRequest {
    pub contact: Contact,
    pub details: RequestDetails,
    /// Who asked on the customer's behalf, if not the customer.
    #[serde(default)]
    pub agent: Option<Agent>,
}

/// Someone acting for the customer (11 CCR 7063): the request is about the
/// customer; letters go to both; staff check the agent's authority before
/// acting on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub name: String,
    pub email: String,
    pub relationship: AgentRelationship,
}

customer_choice! {
    /// How an agent is entitled to act for the customer.
    AgentRelationship {
        Parent => "parent": agent_relationship_parent,
        LegalGuardian => "legal_guardian": agent_relationship_legal_guardian,
        PowerOfAttorney => "power_of_attorney": agent_relationship_power_of_attorney,
        Other => "other": agent_relationship_other,
    }
}

impl AgentRelationship {
    /// Whether the customer must confirm by email that the agent may act
    /// for them: a business may ask that of the consumer (11 CCR
    /// 7063(a)(2)), except where the agent holds a power of attorney
    /// (7063(b); Probate Code 4121-4130).
    pub fn customer_confirms(self) -> bool {
        self != Self::PowerOfAttorney
    }
}

impl NewRequest {
    pub fn kind(&self) -> RequestKind {
        self.details.kind()
    }
}

/// What was asked, by kind. Stored as it is, so a request keeps exactly the
/// answers its form collected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequestDetails {
    OptOut {
        scope: OptOutScope,
        joint_account: JointAccount,
        /// The browser sent a Global Privacy Control signal with the request.
        gpc: bool,
        /// The other holders of a joint account, by name, as the customer
        /// gave them; covered only by an opt-out for all holders.
        #[serde(default)]
        other_holders: Vec<String>,
    },
    Amendment {
        category: AmendmentCategory,
        date_of_birth: Option<NaiveDate>,
        current_information: String,
        corrected_information: String,
        reason: String,
        supporting_details: Option<String>,
        /// Whom the customer wants told if the amendment is accepted
        /// (45 CFR 164.526(c)(3)(i)).
        #[serde(default)]
        notify: Vec<NamedPerson>,
    },
    Complaint {
        category: ComplaintCategory,
        occurred_on: NaiveDate,
        description: String,
    },
    /// The appeal of a refused request, filed from its tracking page.
    Appeal {
        /// The reference of the request whose refusal is appealed.
        appeal_of: String,
        /// The state law the customer appeals under, when they said: whose
        /// Attorney General a denial names.
        state: Option<Regime>,
        /// Why the customer thinks the decision was wrong.
        grounds: String,
    },
}

impl RequestDetails {
    pub fn kind(&self) -> RequestKind {
        match self {
            Self::OptOut { .. } => RequestKind::OptOut,
            Self::Amendment { .. } => RequestKind::Amendment,
            Self::Complaint { .. } => RequestKind::Complaint,
            Self::Appeal { .. } => RequestKind::Appeal,
        }
    }

    /// A one-line account of what was asked, safe to show on the tracking
    /// page: it names choices, never free text the customer typed.
    pub fn summary(&self) -> String {
        self.summary_in(Language::En)
    }

    /// [`Self::summary`] in a customer's language, as their receipt gives it.
    pub fn summary_in(&self, lang: Language) -> String {
        use crate::text::letters;
        match self {
            Self::OptOut { scope, joint_account, .. } => {
                format!("{} ({})", scope.label_in(lang), joint_account.label_in(lang).to_lowercase())
            }
            Self::Amendment { category, .. } => {
                letters::summary_amendment(lang, &category.label_in(lang).to_lowercase())
            }
            Self::Complaint { category, .. } => {
                letters::summary_complaint(lang, &category.label_in(lang).to_lowercase())
            }
            Self::Appeal { appeal_of, .. } => letters::summary_appeal(lang, appeal_of),
        }
    }

    /// What a purged request keeps of its answers: the choices made, which
    /// the summary and the yearly figures name, and none of the text or the
    /// date of birth a person gave.
    pub fn tombstone(self) -> Self {
        match self {
            Self::OptOut { scope, joint_account, gpc, .. } => {
                Self::OptOut { scope, joint_account, gpc, other_holders: Vec::new() }
            }
            Self::Amendment { category, .. } => Self::Amendment {
                category,
                date_of_birth: None,
                current_information: String::new(),
                corrected_information: String::new(),
                reason: String::new(),
                supporting_details: None,
                notify: Vec::new(),
            },
            Self::Complaint { category, occurred_on, .. } => {
                Self::Complaint { category, occurred_on, description: String::new() }
            }
            Self::Appeal { appeal_of, state, .. } => Self::Appeal { appeal_of, state, grounds: String::new() },
        }
    }
}

/// A person the customer names to be told of an accepted amendment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedPerson {
    pub name: String,
    pub email: String,
}

/// A fixed choice offered on a form: its stored name and what the form says.
pub trait Choice: Copy + 'static {
    fn options() -> &'static [Self];
    fn key(self) -> &'static str;
    fn label(self) -> &'static str;

    /// The label in a customer's language; staff's own choices are English.
    fn label_in(self, _lang: Language) -> &'static str {
        self.label()
    }

    fn from_key(key: &str) -> Option<Self> {
        Self::options().iter().copied().find(|c| c.key() == key)
    }
}

customer_choice! {
    /// Which sharing the opt-out stops.
    OptOutScope {
        AllSharing => "all_sharing": opt_out_scope_all_sharing,
        MarketingOnly => "marketing_only": opt_out_scope_marketing_only,
    }
}

customer_choice! {
    /// Who a joint-account opt-out covers. Each holder may opt out alone;
    /// one holder may never be required to act for all.
    JointAccount {
        NotJoint => "not_joint": joint_account_not_joint,
        JustMe => "just_me": joint_account_just_me,
        AllHolders => "all_holders": joint_account_all_holders,
    }
}

impl JointAccount {
    /// What an applied opt-out's letter tells the customer it covers: GLBA
    /// (12 CFR 1016.7(d)) lets a joint holder opt out for all holders or for
    /// themselves alone, so the letter says which, naming the other holders
    /// where the customer gave them.
    pub fn covers(self, other_holders: &[String], lang: Language) -> String {
        use crate::text::letters;
        let names: Vec<&str> = other_holders.iter().map(|name| name.trim()).filter(|name| !name.is_empty()).collect();
        match (self, names.as_slice()) {
            (Self::NotJoint, _) => letters::covers_not_joint(lang).to_owned(),
            (Self::JustMe, []) => letters::covers_just_me(lang).to_owned(),
            (Self::JustMe, names) => letters::covers_just_me_named(lang, &names.join(", ")),
            (Self::AllHolders, []) => letters::covers_all_holders(lang).to_owned(),
            (Self::AllHolders, names) => {
                let everyone: Vec<&str> =
                    std::iter::once(letters::covers_you(lang)).chain(names.iter().copied()).collect();
                letters::covers_all_holders_named(lang, &and_list(&everyone, letters::covers_and(lang)))
            }
        }
    }
}

/// "A", "A and B", "A, B and C", with the language's `and`.
fn and_list(names: &[&str], and: &str) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

customer_choice! {
    AmendmentCategory {
        ContactDetails => "contact_details": amendment_category_contact_details,
        Insurance => "insurance": amendment_category_insurance,
        MedicalRecord => "medical_record": amendment_category_medical_record,
        Account => "account": amendment_category_account,
    }
}

customer_choice! {
    ComplaintCategory {
        UnauthorisedDisclosure => "unauthorised_disclosure": complaint_category_unauthorised_disclosure,
        UnwantedMarketing => "unwanted_marketing": complaint_category_unwanted_marketing,
        SecurityConcern => "security_concern": complaint_category_security_concern,
        RefusedRequest => "refused_request": complaint_category_refused_request,
        Other => "other": complaint_category_other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_opt_out_letter_says_which_holders_it_covers() {
        let both = ["Byron Lovelace".to_owned(), " Ada Byron ".to_owned()];
        assert_eq!(
            JointAccount::AllHolders.covers(&both, Language::En),
            "It covers every holder of your joint account: you, Byron Lovelace and Ada Byron."
        );
        assert_eq!(
            JointAccount::AllHolders.covers(&both, Language::Es),
            "Se aplica a todos los titulares de su cuenta conjunta: usted, Byron Lovelace y Ada Byron."
        );
        assert!(JointAccount::JustMe.covers(&[], Language::En).starts_with("It covers you only"));
        assert!(JointAccount::NotJoint.covers(&both, Language::En).contains("not a joint account"));
    }

    #[test]
    fn a_purged_request_forgets_whom_to_tell_and_the_other_holders() {
        let amendment = RequestDetails::Amendment {
            category: AmendmentCategory::Insurance,
            date_of_birth: None,
            current_information: "Plan A".into(),
            corrected_information: "Plan B".into(),
            reason: "Changed".into(),
            supporting_details: None,
            notify: vec![NamedPerson { name: "Joan Clarke".into(), email: "joan@example.com".into() }],
        };
        assert!(matches!(amendment.tombstone(), RequestDetails::Amendment { notify, .. } if notify.is_empty()));
        let opt_out = RequestDetails::OptOut {
            scope: OptOutScope::AllSharing,
            joint_account: JointAccount::AllHolders,
            gpc: false,
            other_holders: vec!["Byron Lovelace".into()],
        };
        let kept = opt_out.tombstone();
        assert!(
            matches!(kept, RequestDetails::OptOut { joint_account: JointAccount::AllHolders, ref other_holders, .. } if other_holders.is_empty())
        );
    }
}
