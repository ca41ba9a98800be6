//! Requests received by phone or mail, typed in by staff with the same
//! fields the customer's own form has.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{
    AmendmentFormView, ComplaintFormView, FormAlert, InputField, OptOutFormView, SelectField, choices,
};
use crate::domain::access::Action;
use crate::domain::form::{AmendmentForm, ComplaintForm, OptOutForm, ReplyBy};
use crate::domain::staff_forms::{FormName, StaffFeedback};
use crate::domain::{FormState, Language, RequestForm, RequestKind};

use super::frame::viewer;
use super::{allowed, refusal_for, staff_feedback, staff_view, today, typed};
use crate::pages::form_state;

/// Where each kind is entered, and what it covers.
const KINDS: [(&str, RequestKind, &str); 3] = [
    ("/staff/new/opt-out", RequestKind::OptOut, "The customer asks us to stop sharing their information."),
    ("/staff/new/amendment", RequestKind::Amendment, "The customer asks us to correct what we hold about them."),
    ("/staff/new/complaint", RequestKind::Complaint, "The customer complains about how we handled their information."),
];

#[component]
pub fn NewRequestPage() -> impl IntoView {
    let viewer = viewer();
    view! {
        <Title text="New request"/>
        <div class="wrap narrow">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let viewer = viewer.await;
                    let may = allowed(&viewer, Action::EnterRequest);
                    staff_view(viewer, may, |_, ()| view! {
                        <h1>"Enter a request received by phone or mail"</h1>
                        <p class="lead">"Which kind of request is it?"</p>
                        <ul class="cards">
                            {KINDS.iter().map(|(href, kind, text)| view! {
                                <li class="card">
                                    <h2><a href=*href>{kind.staff_label()}</a></h2>
                                    <p>{*text}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any())
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn StaffOptOutPage() -> impl IntoView {
    let state = form_state::<OptOutForm>();
    view! {
        <Intake state action=KINDS[0].0 title="Enter an opt-out" form=|state, action, extras| view! {
            <OptOutFormView action state gpc=false staff=true lang=Language::En submit_label=SUBMIT>{extras()}</OptOutFormView>
        }.into_any()/>
    }
}

#[component]
pub fn StaffAmendmentPage() -> impl IntoView {
    let state = form_state::<AmendmentForm>();
    view! {
        <Intake state action=KINDS[1].0 title="Enter an amendment" form=|state, action, extras| view! {
            <AmendmentFormView action state staff=true lang=Language::En submit_label=SUBMIT>{extras()}</AmendmentFormView>
        }.into_any()/>
    }
}

#[component]
pub fn StaffComplaintPage() -> impl IntoView {
    let state = form_state::<ComplaintForm>();
    view! {
        <Intake state action=KINDS[2].0 title="Enter a complaint" form=|state, action, extras| view! {
            <ComplaintFormView action state staff=true lang=Language::En submit_label=SUBMIT>{extras()}</ComplaintFormView>
        }.into_any()/>
    }
}

const SUBMIT: &str = "Record the request";

/// A kind's form (its island), given its state, where it posts and what
/// goes before the fields.
type FormOfKind<F> = fn(FormState<F>, &'static str, Children) -> AnyView;

/// A customer's form with what only staff add: how and when it reached us.
#[component]
fn Intake<F: RequestForm>(
    state: FormState<F>,
    action: &'static str,
    title: &'static str,
    form: FormOfKind<F>,
) -> impl IntoView {
    let viewer = viewer();
    let feedback = staff_feedback();
    let today = today();
    view! {
        <Title text=title/>
        <div class="wrap narrow">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || {
                    let (state, feedback) = (state.clone(), feedback.clone());
                    Suspend::new(async move {
                        let viewer = viewer.await;
                        let today = today.await;
                        let data = allowed(&viewer, Action::EnterRequest).and_then(|may| Ok(may.and(today?)));
                        staff_view(viewer, data, move |viewer, today| view! {
                            <p class="back"><a href="/staff/new">"Choose another kind"</a></p>
                            <h1>{title}</h1>
                            <p class="lead">"Type in what the customer told you, in their words where you can."</p>
                            {form(state, action, Box::new(move || view! {
                                <input type="hidden" name="csrf" value=viewer.csrf/>
                                <input type="hidden" name="form" value=FormName::Intake.as_str()/>
                                <Arrival feedback today/>
                            }.into_any()))}
                        }.into_any())
                    })
                }}
            </Suspense>
        </div>
    }
}

/// How and when the request reached us.
#[component]
fn Arrival(feedback: StaffFeedback, today: NaiveDate) -> impl IntoView {
    view! {
        <h2 class="section-title">"How it reached us"</h2>
        {refusal_for(&feedback, FormName::Intake).map(|message| view! { <FormAlert message lead="Not recorded."/> })}
        <SelectField
            id="f-channel"
            name="channel"
            label="Received by"
            options=choices([("phone", "Phone"), ("mail", "Mail")])
            selected=typed(&feedback, FormName::Intake, "channel", "phone")
        />
        <InputField
            id="f-received_on"
            name="received_on"
            label="Received on"
            hint="The day the call or letter came in. Deadlines count from it."
            input_type="date"
            width="w-medium"
            required=true
            max=today.to_string()
            value=typed(&feedback, FormName::Intake, "received_on", today.to_string())
        />
        <SelectField
            id="f-reply_by"
            name="reply_by"
            label="Answer by"
            hint="By post when the customer gave no email address: their letters then wait in the print queue."
            options=choices([(ReplyBy::Email.as_str(), "Email"), (ReplyBy::Post.as_str(), "Post (no email address)")])
            selected=typed(&feedback, FormName::Intake, "reply_by", ReplyBy::Email.as_str())
        />
    }
}
