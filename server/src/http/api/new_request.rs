//! The body of a new request entered through the API: one of the three
//! kinds, each with the fields the web form asks for, parsed by that
//! form's own rules so that the API accepts exactly what the form does.

use app::domain::form::{AmendmentForm, ComplaintForm, OptOutForm, limits};
use app::domain::request::{JointAccount, OptOutScope};
use app::domain::{AgentRelationship, Channel, FieldErrors, ParseContext, RequestForm};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::clocks::Received;

/// How a request reached the portal, shared by every kind.
#[derive(Deserialize, ToSchema)]
pub struct Arrival {
    pub(super) channel: Channel,
    pub(super) received_at: ReceivedAt,
}

/// When the request was received: not in the future and at most a year
/// back, as on the staff form.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ReceivedAt {
    /// The exact time.
    At(DateTime<FixedOffset>),
    /// The day, counted from the start of business in the organisation's time zone.
    Day(NaiveDate),
}

impl From<&ReceivedAt> for Received {
    fn from(at: &ReceivedAt) -> Self {
        match at {
            ReceivedAt::At(at) => Received::At(at.with_timezone(&Utc)),
            ReceivedAt::Day(day) => Received::Day(*day),
        }
    }
}

// Required text fields: one character `trim` keeps (Unicode White_Space);
// ECMAScript's `\S` lets U+0085 through, which `trim` then empties.

/// The requester, as every form asks for them. Text is trimmed; a field
/// that is only white space counts as empty.
#[derive(Deserialize, ToSchema)]
pub struct Requester {
    #[schema(
        required = true,
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    #[serde(default)]
    full_name: String,
    #[schema(required = true, format = Email, max_length = 254)]
    #[serde(default)]
    email: String,
    /// Seven to twenty digits, written with spaces, `+ - ( ) .` or `x`.
    #[schema(max_length = 40, pattern = r"^\s*(|[ +().x-]*([0-9][ +().x-]*){7,20})\s*$")]
    #[serde(default)]
    phone: String,
    /// Someone who asked on the requester's behalf (11 CCR 7063): sent a
    /// copy of each letter; staff verify their authority before work.
    #[serde(default)]
    agent: Option<AgentBody>,
}

/// An authorised agent, as the forms ask for them.
#[derive(Deserialize, ToSchema)]
pub struct AgentBody {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    name: String,
    #[schema(format = Email, max_length = 254)]
    email: String,
    relationship: AgentRelationship,
}

/// The agent as the forms' fields hold it (name, email, relationship):
/// blank for a requester asking for themselves.
fn agent_fields(agent: Option<AgentBody>) -> (String, String, String) {
    agent.map_or_else(Default::default, |agent| (agent.name, agent.email, agent.relationship.as_str().to_owned()))
}

/// An opt-out of sharing (GLBA, CCPA).
#[derive(Deserialize, ToSchema)]
pub struct NewOptOut {
    #[serde(flatten)]
    arrival: Arrival,
    #[serde(flatten)]
    requester: Requester,
    #[schema(
        required = true,
        min_length = 1,
        max_length = 500,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    #[serde(default)]
    postal_address: String,
    #[schema(max_length = 64)]
    #[serde(default)]
    account_number: String,
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    scope: Option<OptOutScope>,
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    joint_account: Option<JointAccount>,
    #[schema(schema_with = other_holders)]
    #[serde(default)]
    other_holders: Vec<String>,
}

/// A name the web form would take on a line of its own: white space
/// around it, as `trim` reads it, and no line break within.
const HOLDER_PATTERN: &str = concat!(
    r"^[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\n\r]*",
    r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]",
    r"[^\n\r]*[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
);

fn other_holders() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    let name = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(limits::NAME as usize))
        .pattern(Some(HOLDER_PATTERN));
    ArrayBuilder::new()
        .items(name)
        .max_items(Some(limits::OTHER_HOLDERS))
        .description(Some(
            "The other holders of a joint account, by name, one name each. With `all_holders` the opt-out covers \
             each of them, and the register answers for each by name; with `just_me` they are recorded but not \
             covered. None may be named unless the account is joint.",
        ))
        .build()
}

/// A request to amend health information (HIPAA 45 CFR 164.526).
#[derive(Deserialize, ToSchema)]
pub struct NewAmendment {
    #[serde(flatten)]
    arrival: Arrival,
    #[serde(flatten)]
    requester: Requester,
    #[schema(max_length = 64)]
    #[serde(default)]
    account_number: String,
    #[serde(default)]
    date_of_birth: Option<NaiveDate>,
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    category: Option<app::domain::request::AmendmentCategory>,
    #[schema(
        required = true,
        min_length = 1,
        max_length = 2000,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    #[serde(default)]
    current_information: String,
    #[schema(
        required = true,
        min_length = 1,
        max_length = 2000,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    #[serde(default)]
    corrected_information: String,
    #[schema(
        required = true,
        min_length = 1,
        max_length = 2000,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    #[serde(default)]
    reason: String,
    #[schema(max_length = 4000)]
    #[serde(default)]
    supporting_details: String,
    /// Whom to tell if the amendment is accepted (45 CFR 164.526(c)(3)).
    #[schema(max_items = 3)]
    #[serde(default)]
    notify: Vec<PersonToTell>,
}

/// Someone the customer names to be told of an accepted amendment.
#[derive(Deserialize, ToSchema)]
pub struct PersonToTell {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    name: String,
    #[schema(format = Email, max_length = 254)]
    email: String,
}

/// A privacy complaint.
#[derive(Deserialize, ToSchema)]
pub struct NewComplaint {
    #[serde(flatten)]
    arrival: Arrival,
    #[serde(flatten)]
    requester: Requester,
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    category: Option<app::domain::request::ComplaintCategory>,
    /// Not in the future.
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    occurred_on: Option<NaiveDate>,
    #[schema(
        required = true,
        min_length = 1,
        max_length = 4000,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    #[serde(default)]
    description: String,
}

/// A request received by phone or mail, of one of the three kinds.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NewRequestBody {
    OptOut(NewOptOut),
    Amendment(NewAmendment),
    Complaint(NewComplaint),
}

/// The text a form field holds for a value the API took typed.
fn date_text(day: Option<NaiveDate>) -> String {
    day.map(|day| day.to_string()).unwrap_or_default()
}

fn choice_text(choice: Option<&str>) -> String {
    choice.unwrap_or_default().to_owned()
}

/// The other holders as the web form takes them, one name a line. What a
/// list can hold and a line cannot is refused here: a blank name, a name
/// broken over lines, a name longer than the description allows (counted
/// before trimming, as the description counts). The form does the rest.
fn holders_text(names: Vec<String>) -> Result<String, FieldErrors> {
    let problem = names.iter().find_map(|name| {
        let trimmed = name.trim();
        if trimmed.is_empty() {
            Some("Give each holder's name: one of them is blank.".to_owned())
        } else if trimmed.contains(['\n', '\r']) {
            Some("Give each holder's name on one line: a line break would make it two names.".to_owned())
        } else if name.chars().count() as u64 > limits::NAME {
            Some(format!("Please keep each name to {} characters or fewer.", limits::NAME))
        } else {
            None
        }
    });
    match problem {
        Some(message) => {
            let mut errors = FieldErrors::default();
            errors.insert("other_holders", message);
            Err(errors)
        }
        None => Ok(names.join("\n")),
    }
}

impl NewRequestBody {
    pub(super) fn arrival(&self) -> &Arrival {
        match self {
            Self::OptOut(body) => &body.arrival,
            Self::Amendment(body) => &body.arrival,
            Self::Complaint(body) => &body.arrival,
        }
    }

    /// The request, checked by the same form types as the web pages, so the
    /// API accepts exactly what a form would.
    pub(super) fn parse(self, context: &ParseContext) -> Result<app::domain::NewRequest, FieldErrors> {
        match self {
            Self::OptOut(body) => {
                let (agent_name, agent_email, agent_relationship) = agent_fields(body.requester.agent);
                OptOutForm {
                    full_name: body.requester.full_name,
                    email: body.requester.email,
                    phone: body.requester.phone,
                    postal_address: body.postal_address,
                    account_number: body.account_number,
                    scope: choice_text(body.scope.map(|c| c.as_str())),
                    joint_account: choice_text(body.joint_account.map(|c| c.as_str())),
                    other_holders: holders_text(body.other_holders)?,
                    agent_name,
                    agent_email,
                    agent_relationship,
                }
                .parse(context)
            }
            Self::Amendment(body) => {
                let rows = app::domain::form::NOTIFY_ROWS.len();
                if body.notify.len() > rows {
                    let mut errors = FieldErrors::default();
                    errors.insert("notify", format!("Name at most {rows} persons to tell."));
                    return Err(errors);
                }
                let mut notify = body.notify.into_iter().map(|person| (person.name, person.email));
                let [(notify_1_name, notify_1_email), (notify_2_name, notify_2_email), (notify_3_name, notify_3_email)] =
                    std::array::from_fn(|_| notify.next().unwrap_or_default());
                let (agent_name, agent_email, agent_relationship) = agent_fields(body.requester.agent);
                AmendmentForm {
                    full_name: body.requester.full_name,
                    email: body.requester.email,
                    phone: body.requester.phone,
                    postal_address: String::new(),
                    account_number: body.account_number,
                    date_of_birth: date_text(body.date_of_birth),
                    category: choice_text(body.category.map(|c| c.as_str())),
                    current_information: body.current_information,
                    corrected_information: body.corrected_information,
                    reason: body.reason,
                    supporting_details: body.supporting_details,
                    notify_1_name,
                    notify_1_email,
                    notify_2_name,
                    notify_2_email,
                    notify_3_name,
                    notify_3_email,
                    agent_name,
                    agent_email,
                    agent_relationship,
                }
                .parse(context)
            }
            Self::Complaint(body) => {
                let (agent_name, agent_email, agent_relationship) = agent_fields(body.requester.agent);
                ComplaintForm {
                    full_name: body.requester.full_name,
                    email: body.requester.email,
                    phone: body.requester.phone,
                    postal_address: String::new(),
                    category: choice_text(body.category.map(|c| c.as_str())),
                    occurred_on: date_text(body.occurred_on),
                    description: body.description,
                    agent_name,
                    agent_email,
                    agent_relationship,
                }
                .parse(context)
            }
        }
    }
}
