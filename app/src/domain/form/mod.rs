//! The customer request forms and the machinery they share: how a form is
//! parsed into a request, and how its errors are phrased. Browser and
//! server both call [`RequestForm::parse`], so the rules cannot drift apart.
//!
//! Each form is its fields as typed: every field is text with a length
//! limit; choices are checked against their fixed options.

mod agent;
mod amendment;
mod appeal;
mod complaint;
mod disagreement;
pub mod limits;
mod link_request;
mod opt_out;
mod reply;
mod rules;
mod typed;
mod withdraw;

pub use agent::AgentFields;
pub use amendment::{AmendmentForm, NOTIFY_ROWS};
pub use appeal::{AppealForm, GROUNDS_FIELD, NO_STATE, STATE_FIELD};
pub use complaint::ComplaintForm;
pub use disagreement::{DisagreementForm, STATEMENT_FIELD};
pub use link_request::LinkRequestForm;
pub use opt_out::OptOutForm;
pub use reply::{REPLY_FIELD, ReplyForm};
pub use withdraw::{WITHDRAW_FIELD, WithdrawForm};

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use validator::{Validate, ValidationError, ValidationErrors};

use super::{Language, NewRequest, RequestKind};
use crate::text::problems;
use rules::required_message;

/// The first problem found with each field, keyed by the field's name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn insert(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_owned()).or_insert_with(|| message.into());
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    fn from_validation(errors: &ValidationErrors, lang: Language) -> Self {
        let mut out = Self::default();
        for (field, list) in errors.field_errors() {
            if let Some(first) = list.first() {
                out.insert(&field, message_for(&field, first, lang));
            }
        }
        out
    }
}

/// Turns a validator error into a sentence in the form's language. A
/// missing answer is asked for by name, so that the error summary reads well
/// on its own; a rule's own code names its sentence; other rules get a
/// generic one.
fn message_for(field: &str, error: &ValidationError, lang: Language) -> String {
    match error.code.as_ref() {
        "required" => required_message(field, lang).into(),
        "length" => match error.params.get("max") {
            Some(max) => problems::too_long(lang, &max.to_string()),
            None => problems::wrong_length(lang).into(),
        },
        "email" => problems::email_malformed(lang).into(),
        "email_unfinished" => match error.params.get("suggestion").and_then(|s| s.as_str()) {
            Some(suggestion) => problems::email_unfinished(lang, suggestion),
            None => problems::email_malformed(lang).into(),
        },
        "phone" => problems::phone(lang).into(),
        _ => problems::check_field(lang).into(),
    }
}

/// What a form needs to know besides what was typed.
#[derive(Clone, Copy, Debug)]
pub struct ParseContext {
    /// Today's date where the person is, to refuse dates in the future.
    pub today: NaiveDate,
    /// Whether the browser sent a Global Privacy Control signal.
    pub gpc: bool,
    /// The language the form's errors are told in.
    pub lang: Language,
}

/// A customer-facing request form: raw text as typed, with the rules that
/// turn it into a [`NewRequest`].
pub trait RequestForm:
    Validate + Clone + Default + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static
{
    const KIND: RequestKind;

    /// The email address and postal address as typed: where replies go.
    fn reply_fields(&self) -> (&str, &str);

    /// Checks the typed values and, when they pass, builds the request.
    fn parse(&self, ctx: &ParseContext) -> Result<NewRequest, FieldErrors> {
        self.parse_replying(ctx, ReplyBy::Email)
    }

    /// As [`Self::parse`], for a request answered `by` email or by post.
    /// One answered by post (a letter from someone without email, entered
    /// by staff) may leave the email address blank, though one typed is
    /// still checked, and must give the postal address its letters go to.
    fn parse_replying(&self, ctx: &ParseContext, by: ReplyBy) -> Result<NewRequest, FieldErrors> {
        let mut errors = match self.validate() {
            Ok(()) => FieldErrors::default(),
            Err(e) => FieldErrors::from_validation(&e, ctx.lang),
        };
        if by == ReplyBy::Post {
            let (email, postal_address) = self.reply_fields();
            if email.trim().is_empty() {
                errors.0.remove("email");
            }
            if postal_address.trim().is_empty() {
                errors.insert("postal_address", problems::postal_address_needed(ctx.lang));
            }
        }
        match self.build(ctx) {
            Ok(request) if errors.is_empty() => Ok(request),
            Ok(_) => Err(errors),
            Err(more) => {
                for (field, message) in more.iter() {
                    errors.insert(field, message);
                }
                Err(errors)
            }
        }
    }

    /// Converts the typed values into their domain types. Rules that need
    /// more than one field or the context live here.
    fn build(&self, ctx: &ParseContext) -> Result<NewRequest, FieldErrors>;
}

named_enum! {
    /// How a request is answered: by email, or by post to a customer who
    /// gave no email address (staff enter such requests from their letter).
    ReplyBy {
        Email => "email",
        Post => "post",
    }
}

/// A form as a browser reads it: the kind's own fields and, on the staff
/// intake form, how the request is answered, so the browser checks by the
/// same rule the server will.
#[derive(Clone, Debug)]
pub struct Replying<F> {
    pub form: F,
    pub reply_by: String,
}

/// The field [`Replying`] adds to a form.
#[derive(Deserialize)]
struct ReplyByField {
    #[serde(default)]
    reply_by: String,
}

impl<F: RequestForm> Replying<F> {
    /// The form as posted, a query string. Read twice, once for the form
    /// and once for the reply field, as each ignores the other's fields: a
    /// flattened struct would make serde buffer every field first, which
    /// costs the browser's download more than the second reading costs.
    pub fn from_query(query: &str) -> Option<Self> {
        let form = serde_urlencoded::from_str(query).ok()?;
        let ReplyByField { reply_by } = serde_urlencoded::from_str(query).ok()?;
        Some(Self { form, reply_by })
    }

    pub fn parse(&self, ctx: &ParseContext) -> Result<NewRequest, FieldErrors> {
        self.form.parse_replying(ctx, ReplyBy::parse(&self.reply_by).unwrap_or(ReplyBy::Email))
    }
}

/// What a form page shows: the values as typed and any errors against them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormState<F> {
    pub values: F,
    pub errors: FieldErrors,
}

/// The context the forms' tests parse in: 25 November 2026, no GPC signal.
#[cfg(test)]
fn test_context() -> ParseContext {
    ParseContext { today: NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"), gpc: false, lang: Language::En }
}
