//! The forms that change a case. Each is its own plain HTML form, quoting
//! the case version it was drawn from.

use leptos::prelude::*;

use crate::components::{SelectField, StaffForm, TextAreaField};
use crate::domain::ReferenceCode;
use crate::domain::access::{Actor, Viewer, may_assign};
use crate::domain::accounts::StaffMember;
use crate::domain::case::LegalHold;
use crate::domain::format::long_date;
use crate::domain::staff_forms::{CaseCard, FormName, StaffFeedback};
use crate::domain::workflow::DuplicateDecision;

use super::{done_code, done_message, refusal_for, typed};

/// What every form of one case shares.
#[derive(Clone)]
pub(super) struct CaseForms {
    base: String,
    pub csrf: String,
    pub(super) version: i64,
    pub(super) feedback: StaffFeedback,
}

impl CaseForms {
    pub fn new(reference: &str, viewer: &Viewer, version: i64, feedback: StaffFeedback) -> Self {
        Self { base: format!("/staff/requests/{reference}"), csrf: viewer.csrf.clone(), version, feedback }
    }

    pub(super) fn action(&self, verb: &str) -> String {
        format!("{}/{verb}", self.base)
    }

    pub fn refusal(&self, form: FormName) -> Option<String> {
        refusal_for(&self.feedback, form)
    }

    pub(super) fn typed(&self, form: FormName, field: &str, default: impl Into<String>) -> String {
        typed(&self.feedback, form, field, default)
    }

    /// Which status step the server refused, when it said.
    pub(super) fn refused_step(&self) -> Option<String> {
        self.refusal(FormName::Step).and(self.feedback.value(FormName::Step, "step"))
    }

    /// Where on the page the refused form is.
    pub fn refused_anchor(&self) -> Option<String> {
        let form = self.feedback.form?;
        self.refusal(form)?;
        Some(match form {
            FormName::Step => {
                self.refused_step().map_or_else(|| CaseCard::Status.anchor(), |step| format!("step-{step}"))
            }
            form => format!("form-{form}"),
        })
    }
}

/// One action of the case as a disclosure widget, which works without
/// JavaScript: the actions most cases need next are open, the others folded
/// to their titles, so the panel reads as a list of what can be done. A
/// card opens by itself when the server sent its form back (what was typed
/// is inside) and when it confirms the change just made from it.
#[component]
pub(super) fn ActionCard(
    forms: CaseForms,
    card: CaseCard,
    title: &'static str,
    #[prop(optional)] open: bool,
    children: Children,
) -> impl IntoView {
    let sent_back = forms.feedback.form.and_then(FormName::case_card) == Some(card);
    let done = done_code().filter(|done| done.case_card() == Some(card));
    view! {
        <details class="action-card" id=card.anchor() open=open || sent_back || done.is_some()>
            <summary><h2 id=format!("{card}-title")>{title}</h2></summary>
            {done.map(|done| view! { <p class="done" role="status">{done_message(Some(done), None, None)}</p> })}
            {children()}
        </details>
    }
}

#[component]
pub(super) fn AssignForm(
    forms: CaseForms,
    viewer: Viewer,
    assignee: Option<StaffMember>,
    staff: Vec<StaffMember>,
) -> impl IntoView {
    let current = assignee.as_ref().map(|member| member.id);
    let may = |target: Option<i64>| may_assign(Actor::Staff(&viewer), current, target);
    let colleagues = staff
        .into_iter()
        .filter(|member| member.takes_cases() && member.id != viewer.id)
        .map(|member| (Some(member.id), member.id.to_string(), member.name));
    let options: Vec<(String, String)> = [(Some(viewer.id), "me".to_owned(), "Assign to me".to_owned())]
        .into_iter()
        .chain(colleagues)
        .chain([(None, "none".to_owned(), "Unassigned".to_owned())])
        .filter(|(target, _, _)| may(*target))
        .map(|(_, value, label)| (value, label))
        .collect();
    let Some(holder) = assignee.filter(|_| options.is_empty()) else {
        return view! { <AssignChoices forms viewer_id=viewer.id current options/> }.into_any();
    };
    view! {
        <ActionCard forms=forms.clone() card=CaseCard::Assign title="Assignment" open=true>
            <p id="assign-held">
                {format!("Assigned to {}. Only a manager or an administrator can reassign it.", holder.name)}
            </p>
        </ActionCard>
    }
    .into_any()
}

/// The assignment form, with the moves the viewer may make.
#[component]
fn AssignChoices(
    forms: CaseForms,
    viewer_id: i64,
    current: Option<i64>,
    options: Vec<(String, String)>,
) -> impl IntoView {
    let current = match current {
        Some(id) if id == viewer_id => "me".to_owned(),
        Some(id) => id.to_string(),
        None => "none".to_owned(),
    };
    view! {
        <ActionCard forms=forms.clone() card=CaseCard::Assign title="Assignment" open=true>
            <StaffForm
                action=forms.action("assign")
                name=FormName::Assign.as_str()
                csrf=forms.csrf.clone()
                version=forms.version
                refusal=forms.refusal(FormName::Assign)
                id="form-assign"
            >
                <SelectField
                    id="assign-assignee"
                    name="assignee"
                    label="Assign to"
                    options
                    selected=forms.typed(FormName::Assign, "assignee", current)
                />
                <button type="submit" class="button secondary">"Assign"</button>
            </StaffForm>
        </ActionCard>
    }
}

/// A case form that is one text and a button: a note, a message, a
/// rebuttal, an extension's or a hold's reason. What was typed comes back
/// in it when the server refuses it.
#[component]
fn TextForm(
    forms: CaseForms,
    form: FormName,
    /// The last part of the form's address under the case.
    verb: &'static str,
    field: &'static str,
    field_id: &'static str,
    label: &'static str,
    hint: &'static str,
    button: &'static str,
) -> impl IntoView {
    view! {
        <StaffForm
            action=forms.action(verb)
            name=form.as_str()
            csrf=forms.csrf.clone()
            version=forms.version
            refusal=forms.refusal(form)
            id=format!("form-{form}")
        >
            <TextAreaField id=field_id name=field label hint required=true value=forms.typed(form, field, "")/>
            <button type="submit" class="button secondary">{button}</button>
        </StaffForm>
    }
}

#[component]
pub(super) fn NoteForm(forms: CaseForms) -> impl IntoView {
    view! {
        <ActionCard forms=forms.clone() card=CaseCard::Note title="Internal note">
            <TextForm
                forms=forms.clone()
                form=FormName::Note
                verb="note"
                field="body"
                field_id="note-body"
                label="Note"
                hint="Only staff see notes."
                button="Add note"
            />
        </ActionCard>
    }
}

#[component]
pub(super) fn MessageForm(forms: CaseForms) -> impl IntoView {
    view! {
        <ActionCard forms=forms.clone() card=CaseCard::Message title="Message to the customer">
            <TextForm
                forms=forms.clone()
                form=FormName::Message
                verb="message"
                field="body"
                field_id="message-body"
                label="Message"
                hint="The customer will read this: it is emailed to them and shown on their tracking page."
                button="Send message"
            />
        </ActionCard>
    }
}

/// A likely duplicate: merged into the earlier request, or kept apart. The
/// state machine says whether a merge may be made; a refusal is told here.
#[component]
pub(super) fn DuplicateForm(forms: CaseForms, earlier: ReferenceCode) -> impl IntoView {
    view! {
        <ActionCard forms=forms.clone() card=CaseCard::Duplicate title="Possible duplicate" open=true>
            <p class="hint">
                "Merging ends this request and adds its history to " <span class="reference">{earlier.to_string()}</span>
                ", whose deadline stands; the customer is told which reference to follow."
            </p>
            <StaffForm
                action=forms.action("duplicate")
                name=FormName::Duplicate.as_str()
                csrf=forms.csrf.clone()
                version=forms.version
                refusal=forms.refusal(FormName::Duplicate)
                id="form-duplicate"
            >
                <div class="actions">
                    <button type="submit" class="button" name="decision" value=DuplicateDecision::Merge.as_str()>
                        {format!("Merge into {earlier}")}
                    </button>
                    <button type="submit" class="button secondary" name="decision" value=DuplicateDecision::KeepSeparate.as_str()>
                        "Keep separate"
                    </button>
                </div>
            </StaffForm>
        </ActionCard>
    }
}

/// Staff's rebuttal of the customer's statement of disagreement: kept with
/// it and the denial, and mailed to the customer.
#[component]
pub(super) fn RebuttalForm(forms: CaseForms) -> impl IntoView {
    view! {
        <ActionCard forms=forms.clone() card=CaseCard::Rebuttal title="Rebut the statement">
            <TextForm
                forms=forms.clone()
                form=FormName::Rebuttal
                verb="rebut"
                field="rebuttal"
                field_id="rebuttal-body"
                label="Rebuttal"
                hint="Sent to the customer by letter, and kept with their statement and the denial."
                button="Send the rebuttal"
            />
        </ActionCard>
    }
}

/// The one extension some rules allow. Whether this request's rules do is
/// the server's to say: it explains a refusal beside the form.
#[component]
pub(super) fn ExtendForm(forms: CaseForms) -> impl IntoView {
    view! {
        <ActionCard forms=forms.clone() card=CaseCard::Extend title="Extend the deadline">
            <p class="hint">"Some rules allow one extension, granted before the deadline ends."</p>
            <TextForm
                forms=forms.clone()
                form=FormName::Extend
                verb="extend"
                field="reason"
                field_id="extend-reason"
                label="Reason"
                hint="The customer will read this in the notice of the new date."
                button="Extend the deadline"
            />
        </ActionCard>
    }
}

/// A legal hold and its form: placed with a reason, lifted with a click.
/// Offered only to those the rule book lets hold a request.
#[component]
pub(super) fn LegalHoldForm(forms: CaseForms, hold: Option<LegalHold>) -> impl IntoView {
    let Some(hold) = hold else {
        return view! {
            <ActionCard forms=forms.clone() card=CaseCard::Hold title="Legal hold">
                <p class="hint">"A held request is never purged, whatever its retention, until the hold is lifted."</p>
                <TextForm
                    forms=forms.clone()
                    form=FormName::Hold
                    verb="hold"
                    field="reason"
                    field_id="hold-reason"
                    label="Reason"
                    hint="For example the matter or the counsel's instruction. Written to the audit log."
                    button="Place a legal hold"
                />
            </ActionCard>
        }
        .into_any();
    };
    view! {
        <ActionCard forms=forms.clone() card=CaseCard::Hold title="Legal hold">
            <p>{format!("On hold since {}.", long_date(hold.since))}</p>
            <StaffForm
                action=forms.action("release")
                name=FormName::Release.as_str()
                csrf=forms.csrf.clone()
                version=forms.version
                refusal=forms.refusal(FormName::Release)
                id="form-release"
            >
                <button type="submit" class="button secondary">"Lift the legal hold"</button>
            </StaffForm>
        </ActionCard>
    }
    .into_any()
}
