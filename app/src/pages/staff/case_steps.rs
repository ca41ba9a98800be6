//! The status card of a case: each step the state machine allows as its own
//! small form, an outcome's inputs, whom an accepted amendment is told to,
//! and the letter's preview before it goes.

use chrono::NaiveDate;
use leptos::nonce::use_nonce;
use leptos::prelude::*;

use crate::components::{FormAlert, InputField, SelectField, StaffForm, TextAreaField, choices, options_of};
use crate::domain::metrics::OutcomeClass;
use crate::domain::notices::{BusinessAssociate, CHOICE_OFFERED, NoticeTo};
use crate::domain::request::{Choice, ComplaintCategory, NamedPerson};
use crate::domain::staff_forms::{CaseCard, FormName, INTENT, LetterPreview, PREVIEW_TOKEN, SEND};
use crate::domain::workflow::{self, CloseReason, DenialGround, StepKind};
use crate::domain::{Language, RequestKind, RequestStatus};

use super::case_forms::{ActionCard, CaseForms};
use super::letter_panes;

/// The steps the state machine allows from here, each its own small form,
/// so every step's inputs are in view and usable without JavaScript.
#[component]
pub(super) fn StepForms(
    forms: CaseForms,
    kind: RequestKind,
    status: RequestStatus,
    steps: Vec<StepKind>,
    /// A complaint's category as the customer chose it, the default of the
    /// category it is resolved under.
    category: Option<ComplaintCategory>,
    today: NaiveDate,
    /// Whom the customer named to be told of an accepted amendment.
    named: Vec<NamedPerson>,
    associates: Vec<BusinessAssociate>,
) -> impl IntoView {
    // A refusal that does not say which step it was for, or names one this
    // status does not offer, is shown above all: it has no form to sit by.
    let offered = |refused: &str| steps.iter().any(|step| step.as_str() == refused);
    let unplaced = forms.refusal(FormName::Step).filter(|_| !forms.refused_step().as_deref().is_some_and(offered));
    let finished = steps.is_empty().then(|| view! { <p>"This request is finished: it takes no further steps."</p> });
    let tell = Tell { named, associates };
    let steps = steps
        .into_iter()
        .map(|step| view! { <StepForm forms=forms.clone() step kind category today tell=tell.clone()/> })
        .collect_view();
    view! {
        <ActionCard forms=forms.clone() card=CaseCard::Status title="Change status" open=true>
            <p>"Now: " <span class="status" class:open=status.is_open()>{status.staff_label()}</span></p>
            {unplaced.map(|message| view! { <FormAlert message lead="Not saved."/> })}
            {finished}
            {steps}
        </ActionCard>
    }
}

#[component]
fn StepForm(
    forms: CaseForms,
    step: StepKind,
    kind: RequestKind,
    category: Option<ComplaintCategory>,
    today: NaiveDate,
    tell: Tell,
) -> impl IntoView {
    let refusal = forms.refusal(FormName::Step).filter(|_| forms.refused_step().as_deref() == Some(step.as_str()));
    let preview = forms.feedback.preview.clone().filter(|preview| preview.step == step.as_str());
    let (explanation, inputs, button) = match step {
        StepKind::MarkVerified => (
            Some(
                "When you have confirmed who the customer is another way, for example by calling a number in our records.",
            ),
            None,
            "Mark identity verified",
        ),
        StepKind::StartWork => (None, None, "Start work"),
        StepKind::Resume => (Some("When the customer has sent what was asked for."), None, "Resume work"),
        StepKind::AskCustomer => {
            (None, Some(view! { <AskInputs forms=forms.clone()/> }.into_any()), "Ask the customer")
        }
        StepKind::Resolve => (
            None,
            Some(view! { <ResolveInputs forms=forms.clone() kind category today tell/> }.into_any()),
            "Record the outcome",
        ),
        StepKind::Close => (None, Some(view! { <CloseInputs forms=forms.clone()/> }.into_any()), "Close the request"),
    };
    // Steps with inputs get a heading of their own; a lone button says
    // what it does well enough.
    let heading = inputs.is_some().then(|| view! { <h3>{step.label()}</h3> });
    // A final letter is previewed before it is sent: the form's first post
    // shows it, and the page comes back with the preview in focus.
    // Each step's button says which letter, so the two read apart.
    let preview_label =
        if step == StepKind::Close { "Preview the closing letter" } else { "Preview the outcome letter" };
    let submit = if step.sends_final_letter() {
        match preview {
            Some(preview) => view! { <LetterPreviewPanel preview/> }.into_any(),
            None => view! {
                <p class="hint">"You will see the letter the customer receives, and confirm it, before it is sent."</p>
                <button type="submit" class="button secondary">{preview_label}</button>
            }
            .into_any(),
        }
    } else {
        view! { <button type="submit" class="button secondary">{button}</button> }.into_any()
    };
    view! {
        <div class="step" id=format!("step-{}", step.as_str())>
            {heading}
            <StaffForm
                action=forms.action("step")
                name=FormName::Step.as_str()
                csrf=forms.csrf.clone()
                version=forms.version
                refusal
            >
                <input type="hidden" name="step" value=step.as_str()/>
                {explanation.map(|text| view! { <p class="hint">{text}</p> })}
                {inputs}
                {submit}
            </StaffForm>
        </div>
    }
}

/// A choice that goes into the request's record, so nothing is chosen until
/// somebody chooses it.
fn choose_one<C: Choice>() -> Vec<(String, String)> {
    choices(std::iter::once(("", "Choose…")).chain(options_of::<C>(Language::En)))
}

#[component]
fn AskInputs(forms: CaseForms) -> impl IntoView {
    view! {
        <TextAreaField
            id="ask-what"
            name="what"
            label="What do you need from the customer?"
            hint="The customer will read this: it is emailed to them and shown on their tracking page."
            required=true
            value=forms.typed(FormName::Step, "what", "")
        />
    }
}

#[component]
fn CloseInputs(forms: CaseForms) -> impl IntoView {
    view! {
        <SelectField
            id="close-reason"
            name="close_reason"
            label="Why is it closed?"
            options={choose_one::<CloseReason>()}
            selected=forms.typed(FormName::Step, "close_reason", "")
        />
        <TextAreaField
            id="close-note"
            name=FormName::Note.as_str()
            label="Note"
            hint="The customer will read this in the letter that closes the request."
            required=true
            value=forms.typed(FormName::Step, "note", "")
        />
    }
}

#[component]
fn ResolveInputs(
    forms: CaseForms,
    kind: RequestKind,
    category: Option<ComplaintCategory>,
    today: NaiveDate,
    tell: Tell,
) -> impl IntoView {
    match kind {
        RequestKind::OptOut => view! {
            <InputField
                id="resolve-effective-on"
                name="effective_on"
                label="Effective from"
                input_type="date"
                width="w-medium"
                required=true
                value=forms.typed(FormName::Step, "effective_on", today.to_string())
            />
        }
        .into_any(),
        RequestKind::Amendment => view! { <AmendmentOutcome forms tell/> }.into_any(),
        RequestKind::Appeal => view! { <AppealOutcome forms/> }.into_any(),
        RequestKind::Complaint => view! {
            <SelectField
                id="resolve-category"
                name="category"
                label="What the complaint was about"
                options=choices(options_of::<ComplaintCategory>(Language::En))
                selected=forms.typed(FormName::Step, "category", category.map_or("", |c| c.as_str()))
            />
            <TextAreaField
                id="resolve-resolution"
                name="resolution"
                label="How it was resolved"
                hint="The customer will read this in the letter that closes the complaint."
                required=true
                value=forms.typed(FormName::Step, "resolution", "")
            />
        }
        .into_any(),
    }
}

/// Who may be told of an accepted amendment.
#[derive(Clone)]
pub(super) struct Tell {
    named: Vec<NamedPerson>,
    associates: Vec<BusinessAssociate>,
}

/// The persons named and the business associates, each a checkbox, all
/// ticked at first; a refused form comes back ticked as it was sent.
#[component]
fn TellWhom(forms: CaseForms, tell: Tell) -> impl IntoView {
    if tell.named.is_empty() && tell.associates.is_empty() {
        return view! { <p class="hint">"Nobody was named to be told, and no business associates are listed."</p> }
            .into_any();
    }
    let resent = !forms.typed(FormName::Step, CHOICE_OFFERED, "").is_empty();
    let ticked = move |to: NoticeTo| !resent || !forms.typed(FormName::Step, &to.field(), "").is_empty();
    let people = tell.named.into_iter().enumerate().map(|(index, person)| {
        (NoticeTo::Person(index), format!("{} ({})", person.name, person.email), "named by the customer".to_owned())
    });
    let associates = tell.associates.into_iter().map(|associate| {
        (
            NoticeTo::Associate(associate.id),
            format!("{} ({})", associate.name, associate.email),
            format!("business associate; relies on {}", associate.relies_on),
        )
    });
    let boxes = people
        .chain(associates)
        .map(|(to, who, why)| {
            let field = to.field();
            let id = format!("tell-{}", field.replace('_', "-"));
            view! {
                <div class="checkbox">
                    <input type="checkbox" id=id.clone() name=field checked=ticked(to)/>
                    <label for=id>{who} <span class="hint">" – " {why}</span></label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field" id="tell-whom">
            <legend>"Tell of the amendment"</legend>
            <p class="hint">"If the amendment is accepted, in whole or in part, each one ticked is sent a notice of the change."</p>
            <input type="hidden" name=CHOICE_OFFERED value="1"/>
            {boxes}
        </fieldset>
    }
    .into_any()
}

/// An amendment's outcome and what each outcome must record. Without
/// JavaScript every field is shown, each saying which outcome it is for;
/// with it, only the chosen outcome's fields are.
#[component]
fn AmendmentOutcome(forms: CaseForms, tell: Tell) -> impl IntoView {
    let records_error = forms.refusal(FormName::Step).filter(|message| message == workflow::RECORDS_CHANGED_MISSING);
    let outcome = forms.typed(FormName::Step, "outcome", "accepted");
    let typed = |field| forms.typed(FormName::Step, field, "");
    let (records_changed, reason, ground, explanation) =
        (typed("records_changed"), typed("reason"), typed("ground"), typed("explanation"));
    view! {
        <OutcomeChoice>
            <SelectField
                id="resolve-outcome"
                name="outcome"
                label="Outcome"
                options=choices([
                    ("accepted", OutcomeClass::AmendmentAccepted.label()),
                    ("partly_accepted", OutcomeClass::AmendmentPartlyAccepted.label()),
                    ("denied", OutcomeClass::AmendmentDenied.label()),
                ])
                selected=outcome
            />
            <ForOutcomes wanted=&["accepted", "partly_accepted"]>
                <TextAreaField
                    id="resolve-records-changed"
                    name="records_changed"
                    label="Which records were changed"
                    hint="If accepted, in whole or in part. The customer will read this, and so will each person told."
                    value=records_changed
                    error=records_error
                />
                <TellWhom forms tell/>
            </ForOutcomes>
            <ForOutcomes wanted=&["partly_accepted"]>
                <TextAreaField
                    id="resolve-reason"
                    name="reason"
                    label="Why part of the request was not accepted"
                    hint="If accepted in part. The customer will read this."
                    value=reason
                />
            </ForOutcomes>
            <ForOutcomes wanted=&["denied"]>
                <SelectField
                    id="resolve-ground"
                    name="ground"
                    label="Ground for denial"
                    hint="If denied."
                    options={choose_one::<DenialGround>()}
                    selected=ground
                />
                <TextAreaField
                    id="resolve-explanation"
                    name="explanation"
                    label="Explanation for the customer"
                    hint="If denied. The customer will read this: write it in plain language."
                    value=explanation
                />
            </ForOutcomes>
        </OutcomeChoice>
    }
}

/// An appeal's decision: granted, with what is now done, or denied, with
/// why the refusal stands (the letter adds the Attorney General).
#[component]
fn AppealOutcome(forms: CaseForms) -> impl IntoView {
    let outcome = forms.typed(FormName::Step, "outcome", "granted");
    let typed = |field| forms.typed(FormName::Step, field, "");
    let (decision, explanation) = (typed("decision"), typed("explanation"));
    view! {
        <OutcomeChoice>
            <SelectField
                id="resolve-outcome"
                name="outcome"
                label="Decision on the appeal"
                options=choices([
                    ("granted", OutcomeClass::AppealGranted.label()),
                    ("denied", OutcomeClass::AppealDenied.label()),
                ])
                selected=outcome
            />
            <ForOutcomes wanted=&["granted"]>
                <TextAreaField
                    id="resolve-decision"
                    name="decision"
                    label="What we now do instead"
                    hint="If granted. The customer will read this: say what changes in their records and when."
                    value=decision
                />
            </ForOutcomes>
            <ForOutcomes wanted=&["denied"]>
                <TextAreaField
                    id="resolve-explanation"
                    name="explanation"
                    label="Why the refusal stands"
                    hint="If denied. The customer will read this in plain language; the letter adds how to contact the Attorney General."
                    value=explanation
                />
            </ForOutcomes>
        </OutcomeChoice>
    }
}

/// The outcome's select and the fields of each outcome: once a script
/// runs, choosing an outcome shows only its fields (each [`ForOutcomes`]
/// names its outcomes in the page). A few lines of plain script rather than
/// an island, so that no staff page's code is part of the WebAssembly a
/// customer's form downloads.
#[component]
fn OutcomeChoice(children: Children) -> impl IntoView {
    view! {
        <div class="outcome-choice">
            {children()}
            <script nonce=use_nonce()>{SHOW_CHOSEN_OUTCOME}</script>
        </div>
    }
}

const SHOW_CHOSEN_OUTCOME: &str = r#"(function (root) {
  function show() {
    var select = root.querySelector('select[name=outcome]'), chosen = select ? select.value : '';
    root.querySelectorAll('[data-outcomes]').forEach(function (section) {
      section.hidden = section.getAttribute('data-outcomes').split(' ').indexOf(chosen) < 0;
    });
  }
  root.addEventListener('change', show);
  show();
})(document.currentScript.parentElement);"#;

/// Fields that only some outcomes record, which [`OutcomeChoice`] hides for
/// the others once a script runs.
#[component]
fn ForOutcomes(wanted: &'static [&'static str], children: Children) -> impl IntoView {
    view! { <div data-outcomes=wanted.join(" ")>{children()}</div> }
}

/// The final letter as the customer will receive it, composed by the server
/// from the form as typed above it, and the buttons that send it or show it
/// again after a change.
#[component]
fn LetterPreviewPanel(preview: LetterPreview) -> impl IntoView {
    let changed = preview.changed.then(|| {
        let message = "The form or the letter changed after the preview you saw, so nothing was sent. This is the \
                       letter as it reads now: check it before sending it.";
        view! { <FormAlert message=message.to_owned() lead="Not sent."/> }
    });
    view! {
        // In focus when the page arrives, so the person lands on the letter.
        <section
            class="letter-preview"
            id="letter-preview"
            aria-labelledby="letter-preview-title"
            tabindex="-1"
            autofocus=true
        >
            <h4 id="letter-preview-title">"The letter the customer will receive"</h4>
            {changed}
            <p class="hint">
                "Nothing has been sent yet. If the letter needs a change, change the form above and update the preview."
            </p>
            {letter_panes(&preview, true)}
            <input type="hidden" id="letter-preview-token" name=PREVIEW_TOKEN value=preview.token/>
            <div class="letter-buttons">
                <button type="submit" name=INTENT value=SEND class="button">"Send and close"</button>
                <button type="submit" name=INTENT value="preview" class="button secondary">"Update the preview"</button>
            </div>
        </section>
    }
}
