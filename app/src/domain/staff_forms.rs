//! The staff side's forms as the server reads them, the names they carry,
//! what a refused one sends back, and the `?done=` codes that confirm a
//! change. Pages and handlers name all of them through these types, so the
//! two crates cannot spell a name differently.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::access::Action;

named_enum! {
    /// Which form the server refused: each staff form's hidden `form` field.
    FormName {
        SignIn => "sign_in",
        Welcome => "welcome",
        Assign => "assign",
        Note => "note",
        Message => "message",
        Step => "step",
        Extend => "extend",
        Intake => "intake",
        Invite => "invite",
        Token => "token",
        Bulk => "bulk",
        Role => "role",
        Disable => "disable",
        Enable => "enable",
        Retry => "retry",
        Printed => "printed",
        Revoke => "revoke",
        Hold => "hold",
        Release => "release",
        Webhook => "webhook",
        Endpoint => "endpoint",
        RevokeOptOut => "revoke_opt_out",
        Associate => "associate",
        Duplicate => "duplicate",
        Rebuttal => "rebuttal",
        VerifyAgent => "verify_agent",
        Letter => "letter",
        RestoreLetter => "restore_letter",
        SaveView => "save_view",
        RemoveView => "remove_view",
    }
}

named_enum! {
    /// What a change did, as the handler's redirect asks the page to
    /// confirm it with `?done=`.
    DoneCode {
        Assigned => "assigned",
        Note => "note",
        Message => "message",
        Status => "status",
        Extended => "extended",
        Entered => "entered",
        Bulk => "bulk",
        Retried => "retried",
        Printed => "printed",
        Invited => "invited",
        Role => "role",
        Disabled => "disabled",
        Enabled => "enabled",
        Revoked => "revoked",
        Held => "held",
        Released => "released",
        Registered => "registered",
        Rotated => "rotated",
        Resent => "resent",
        Stopped => "stopped",
        OptOutRevoked => "opt_out_revoked",
        AssociateAdded => "associate_added",
        AssociateRemoved => "associate_removed",
        Merged => "merged",
        KeptSeparate => "kept_separate",
        Rebutted => "rebutted",
        AgentVerified => "agent_verified",
        LetterSaved => "letter_saved",
        LetterRestored => "letter_restored",
        ViewSaved => "view_saved",
        ViewRemoved => "view_removed",
    }
}

named_enum! {
    /// The case page's action cards. A change made from one lands back on
    /// it, with its confirmation beside the card's title, and a refused form
    /// opens its card.
    CaseCard {
        Assign => "assign",
        Status => "status",
        Duplicate => "duplicate",
        Rebuttal => "rebuttal",
        Extend => "extend",
        Hold => "hold",
        Note => "note",
        Message => "message",
    }
}

impl CaseCard {
    /// The card's element id, the fragment a change's redirect ends with.
    pub fn anchor(self) -> String {
        format!("card-{self}")
    }
}

impl FormName {
    /// The case page card holding this form, for the forms a case page has.
    pub fn case_card(self) -> Option<CaseCard> {
        Some(match self {
            Self::Assign => CaseCard::Assign,
            Self::Step => CaseCard::Status,
            Self::Duplicate => CaseCard::Duplicate,
            Self::Rebuttal => CaseCard::Rebuttal,
            Self::Extend => CaseCard::Extend,
            Self::Hold | Self::Release => CaseCard::Hold,
            Self::Note => CaseCard::Note,
            Self::Message => CaseCard::Message,
            _ => return None,
        })
    }
}

impl DoneCode {
    /// The case page card whose change this confirms. A change that takes
    /// its own card away (a merge, the one extension, a rebuttal) has none:
    /// it is confirmed at the top of the page.
    pub fn case_card(self) -> Option<CaseCard> {
        Some(match self {
            Self::Assigned => CaseCard::Assign,
            Self::Status => CaseCard::Status,
            Self::Held | Self::Released => CaseCard::Hold,
            Self::Note => CaseCard::Note,
            Self::Message => CaseCard::Message,
            _ => return None,
        })
    }
}

/// What a staff form handler sends back with the page when it refuses a
/// change: which form, why, and what was typed, so nothing is lost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffFeedback {
    /// The refused form; `None` on a page nobody sent a form from.
    pub form: Option<FormName>,
    pub message: String,
    pub values: BTreeMap<String, String>,
    /// The final letter the form would send, held back until it is
    /// confirmed: the page shows it beside the form as typed.
    pub preview: Option<LetterPreview>,
    /// Why a field was refused, by field name, shown beside it.
    pub field_errors: BTreeMap<String, String>,
}

/// The form field carrying the proof that the letter was previewed.
pub const PREVIEW_TOKEN: &str = "preview";

/// The form field saying which button was pressed: [`SEND`] confirms the
/// previewed letter, anything else asks for a (fresh) preview.
pub const INTENT: &str = "intent";

/// The [`INTENT`] of the "Send and close" button.
pub const SEND: &str = "send";

/// A final letter as the customer will receive it, composed by the real
/// letter code from what staff typed, with the token that lets the same
/// values be sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterPreview {
    /// The step the letter belongs to, so the page shows it by its form.
    pub step: String,
    pub subject: String,
    pub html: String,
    pub text: String,
    pub token: String,
    /// Whether the person pressed "Send" but the form or the letter had
    /// changed since the preview they saw, so nothing was sent.
    pub changed: bool,
    /// The Content-Security-Policy hash sources of the letter's inline
    /// styles: the page showing it allows exactly these, so the letter is
    /// drawn as the customer sees it and nothing else styled inline is.
    pub style_hashes: Vec<String>,
}

/// The header a page showing a letter hands the server's policy the
/// letter's style hashes in; the server takes it off the answer.
pub const LETTER_STYLES_HEADER: &str = "x-portal-letter-styles";

impl StaffFeedback {
    /// What was typed into `field` of `form`, if this feedback is for it.
    pub fn value(&self, form: FormName, field: &str) -> Option<String> {
        (self.form == Some(form)).then(|| self.values.get(field).cloned()).flatten()
    }
}

/// Where a form sends the person back to once it is done, as the page put
/// it in a hidden field. The server answers with a redirect there after the
/// change is made, and a control character cannot stand in that header: a
/// form carrying one is refused as unreadable before anything is done.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct ReturnTo(String);

impl TryFrom<String> for ReturnTo {
    type Error = &'static str;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        if text.chars().any(char::is_control) {
            Err("a return address cannot contain control characters")
        } else {
            Ok(Self(text))
        }
    }
}

impl ReturnTo {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address when it is a page on the staff side of this site; never
    /// another site named in a crafted link.
    pub fn staff_page(&self) -> Option<&str> {
        let path = self.0.as_str();
        let staff = path == "/staff" || path.starts_with("/staff/") || path.starts_with("/staff?");
        (staff && !path.contains("//") && !path.contains('\\')).then_some(path)
    }
}

/// A form only a signed-in staff member may send, and what the rule book
/// must allow them for the server to act on it.
pub trait StaffAction {
    const ACTION: Action;
}

/// Every field is text, as typed: a missing one reads as empty, and the
/// handler decides what an unusable value means.
macro_rules! staff_form {
    ($(#[$meta:meta])* $name:ident needs $action:ident { $($(#[$field_meta:meta])* $field:ident: $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
        #[serde(default)]
        pub struct $name { $($(#[$field_meta])* pub $field: $ty),* }

        impl StaffAction for $name {
            const ACTION: Action = Action::$action;
        }
    };
}

/// Signing in, before anyone is known.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SignInForm {
    pub email: String,
    pub password: String,
    /// Where the person was going when they were asked to sign in.
    pub next: Option<ReturnTo>,
}

/// Choosing a password from an invitation link.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct WelcomeForm {
    pub password: String,
    pub confirm: String,
}

staff_form! {
    /// "me", "none" or a colleague's id.
    AssignForm needs WorkCase { assignee: String, version: String }
}

staff_form! { NoteForm needs WorkCase { body: String } }

staff_form! { MessageForm needs WorkCase { body: String } }

staff_form! {
    /// A workflow step and whatever that step asks for, read by
    /// `workflow::step_from_form`.
    StepForm needs WorkCase {
        version: String,
        #[serde(flatten)]
        answers: BTreeMap<String, String>,
    }
}

staff_form! { ExtendForm needs WorkCase { version: String, reason: String } }

staff_form! {
    /// A likely duplicate: `merge` into the earlier request, or
    /// `keep_separate` (`workflow::DuplicateDecision`).
    DuplicateForm needs WorkCase { version: String, decision: String }
}

staff_form! {
    /// The queue's view as showing (`query`, its query string), saved for
    /// the viewer alone under `name`.
    SaveViewForm needs ViewQueue { name: String, query: String }
}

staff_form! {
    /// Removing the viewer's saved view named in the address, then back to
    /// the queue as it was showing (`return_to`, its query string).
    RemoveViewForm needs ViewQueue { return_to: ReturnTo }
}

staff_form! {
    /// Several queue rows at once, each `reference:version` as shown.
    BulkForm needs WorkCase { bulk_action: String, selected: Vec<String>, return_to: ReturnTo }
}

/// A request received by phone or mail: the customer form's own answers,
/// and how and when it arrived.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct IntakeForm<F> {
    #[serde(flatten)]
    pub request: F,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub received_on: String,
    /// `email`, or `post` for a customer who gave no email address.
    #[serde(default)]
    pub reply_by: String,
}

impl<F> StaffAction for IntakeForm<F> {
    const ACTION: Action = Action::EnterRequest;
}

staff_form! {
    /// A rebuttal of the customer's statement of disagreement.
    RebuttalForm needs WorkCase { version: String, rebuttal: String }
}

staff_form! {
    /// Staff saw the agent's signed permission or power of attorney.
    VerifyAgentForm needs WorkCase { version: String }
}

staff_form! { HoldForm needs PlaceLegalHold { version: String, reason: String } }

staff_form! { ReleaseForm needs PlaceLegalHold { version: String } }

staff_form! { RevokeOptOutForm needs RecordOptOutRevocation { channel: String, reason: String } }

staff_form! { InviteForm needs ManageStaff { name: String, email: String, role: String } }

staff_form! { RoleForm needs ManageStaff { role: String } }

staff_form! {
    /// Disabling or enabling the account named in the address.
    AccountForm needs ManageStaff {}
}

staff_form! { RetryForm needs ManageMail { return_to: ReturnTo } }

staff_form! {
    /// Staff printed a letter of the print queue for the post.
    PrintedForm needs ManageMail {}
}

staff_form! {
    /// Issuing a token: what it is for, whom it acts as, and for how many days.
    TokenForm needs ManageApiTokens { name: String, email: String, days: String }
}

staff_form! {
    /// Revoking the token named in the address.
    RevokeForm needs ManageApiTokens {}
}

staff_form! {
    /// Registering a webhook endpoint: where, what for, and which events.
    WebhookForm needs ManageWebhooks { url: String, description: String, events: Vec<String> }
}

staff_form! {
    /// Changing the endpoint named in the address: `rotate` its secret,
    /// `resend` one delivery (`delivery`), or `stop` sending to it.
    EndpointForm needs ManageWebhooks { change: String, delivery: String }
}

staff_form! {
    /// Adding a business associate: who, where notices go, what it relies on.
    AssociateForm needs ManageBusinessAssociates { name: String, email: String, relies_on: String }
}

staff_form! {
    /// Removing the business associate named in the address.
    RemoveAssociateForm needs ManageBusinessAssociates {}
}

#[cfg(test)]
mod tests {
    use super::{DoneCode, FormName, ReturnTo};

    #[test]
    fn a_change_lands_on_the_card_of_the_form_that_made_it() {
        for done in DoneCode::ALL.iter().copied() {
            let Some(card) = done.case_card() else { continue };
            assert!(
                FormName::ALL.iter().any(|form| form.case_card() == Some(card)),
                "{done} lands on {card}, which holds no form"
            );
        }
        assert_eq!(DoneCode::Note.case_card(), FormName::Note.case_card());
        assert_eq!(DoneCode::Released.case_card(), FormName::Release.case_card());
        assert_eq!(DoneCode::Extended.case_card(), None, "the one extension takes its card away");
    }

    fn return_to(text: &str) -> Result<ReturnTo, &'static str> {
        ReturnTo::try_from(text.to_owned())
    }

    #[test]
    fn forms_never_send_anyone_off_site() {
        let page = |text: &str| return_to(text).expect("no control characters").staff_page().map(str::to_owned);
        assert_eq!(page("/staff/requests/PR-7K4M-9QXR").as_deref(), Some("/staff/requests/PR-7K4M-9QXR"));
        assert_eq!(page("/staff?status=all").as_deref(), Some("/staff?status=all"));
        for hostile in ["https://evil.example", "//evil.example", "/staff//evil", "/\\evil", "/track/x", ""] {
            assert_eq!(page(hostile), None, "{hostile}");
        }
    }

    #[test]
    fn a_control_character_is_no_address() {
        for broken in ["/staff\n", "/staff/mail\0", "?status=all\r\nSet-Cookie: x=1", "/staff\u{7f}"] {
            assert!(return_to(broken).is_err(), "{broken:?}");
        }
        assert!(return_to("?status=all&q=caf\u{e9}").is_ok());
    }
}

staff_form! {
    /// A letter's wording, to preview on the sample request or to save.
    LetterForm needs EditLetters { subject: String, text: String, html: String, based_on: String, intent: String }
}

staff_form! {
    /// An earlier version of a letter (0: the default words), saved again
    /// as the newest.
    RestoreLetterForm needs EditLetters { number: String, based_on: String }
}
