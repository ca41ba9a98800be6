//! The staff side: the queue, cases, requests taken by phone or mail, mail
//! that did not go out, and the people who may sign in. Every change is a
//! plain HTML form posted to the server, so all of it works without
//! JavaScript.

mod account;
mod associates;
mod case;
mod case_forms;
mod case_steps;
mod conversation;
mod dashboard;
mod disclosure;
mod frame;
mod intake;
mod labels;
mod letters;
mod mail;
mod people;
mod queue;
mod register;
mod sign_in;
mod tokens;
mod webhooks;
mod welcome;

pub use account::AccountPage;
pub use associates::AssociatesPage;
pub use case::CasePage;
pub use dashboard::DashboardPage;
pub use disclosure::DisclosurePage;
pub use frame::{StaffHeader, provide_viewer};
pub use intake::{NewRequestPage, StaffAmendmentPage, StaffComplaintPage, StaffOptOutPage};
pub use letters::{LetterEditorPage, LettersPage};
pub use mail::{MailPage, PrintPage};
pub use people::PeoplePage;
pub use queue::QueuePage;
pub use register::{OptOutPersonPage, OptOutRegisterPage};
pub use sign_in::SignInPage;
pub use tokens::TokensPage;
pub use webhooks::WebhooksPage;
pub use welcome::WelcomePage;

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use crate::domain::access::{self, Action, Viewer};
use crate::domain::format::{long_date, short_date};
use crate::domain::staff_forms::{DoneCode, FormName, LetterPreview, StaffFeedback};
use crate::services::{Answer, Refusal, load_today};

use super::set_status;

/// Who is signed in, as the frame loaded it.
type ViewerResult = Result<Option<Viewer>, ServerFnError>;

/// What the server sent back with the page when it refused a form: empty
/// on a first visit.
fn staff_feedback() -> StaffFeedback {
    use_context::<StaffFeedback>().unwrap_or_default()
}

/// Lets the letter shown on this page keep its inline styles, and only
/// those: the server adds their hashes to the page's security policy.
fn allow_letter_styles(hashes: &[String]) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(value)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&hashes.join(" ")))
    {
        options.insert_header(http::HeaderName::from_static(crate::domain::staff_forms::LETTER_STYLES_HEADER), value);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = hashes;
}

/// A letter as the customer will receive it: its subject, the formatted
/// letter in a sandboxed frame (no script or link in it can reach the page)
/// and the plain text; its inline styles, and only those, are allowed.
/// `nested` puts its headings a level lower, under an action card's.
fn letter_panes(preview: &LetterPreview, nested: bool) -> impl IntoView + use<> {
    allow_letter_styles(&preview.style_hashes);
    let heading = move |text: &'static str| {
        if nested { view! { <h5>{text}</h5> }.into_any() } else { view! { <h3>{text}</h3> }.into_any() }
    };
    view! {
        <p class="letter-subject">
            <strong>"Subject: "</strong>
            <span id="letter-preview-subject">{preview.subject.clone()}</span>
        </p>
        {heading("Formatted")}
        <iframe
            id="letter-preview-html"
            class="letter-frame"
            title="The formatted letter"
            sandbox=""
            srcdoc=preview.html.clone()
        ></iframe>
        {heading("Plain text")}
        <pre id="letter-preview-text" class="letter-text">{preview.text.clone()}</pre>
    }
}

/// Why `form` was refused, when the page came back for it.
fn refusal_for(feedback: &StaffFeedback, form: FormName) -> Option<String> {
    (feedback.form == Some(form) && !feedback.message.is_empty()).then(|| feedback.message.clone())
}

/// What was typed into a field of a refused form, or `default`.
fn typed(feedback: &StaffFeedback, form: FormName, field: &str, default: impl Into<String>) -> String {
    feedback.value(form, field).unwrap_or_else(|| default.into())
}

/// A staff page once the viewer and the page's data have arrived: the page
/// itself, or why it cannot be shown.
fn staff_view<T>(
    viewer: ViewerResult,
    data: Result<Answer<T>, ServerFnError>,
    page: impl FnOnce(Viewer, T) -> AnyView,
) -> AnyView {
    let loaded = viewer.and_then(|viewer| {
        data.map(|answer| answer.and_then(|data| viewer.map(|viewer| (viewer, data)).ok_or(Refusal::SignedOut)))
    });
    match loaded {
        Ok(Ok((viewer, data))) => page(viewer, data),
        Ok(Err(refusal)) => view! { <Refused refusal/> }.into_any(),
        Err(error) => {
            set_status(503);
            let incident = match error {
                ServerFnError::ServerError(reference) => reference,
                _ => String::new(),
            };
            view! { <Unavailable incident/> }.into_any()
        }
    }
}

/// For pages that need nothing from the server but the viewer: whether the
/// viewer may do what the page is for.
fn allowed(viewer: &ViewerResult, action: Action) -> Result<Answer<()>, ServerFnError> {
    match viewer {
        Ok(viewer) => Ok(access::require(viewer.as_ref(), action).map_err(Refusal::from)),
        Err(error) => Err(error.clone()),
    }
}

#[component]
fn Refused(refusal: Refusal) -> impl IntoView {
    let location = use_location();
    match refusal {
        Refusal::SignedOut => {
            set_status(401);
            let here = match location.search.get_untracked() {
                search if search.is_empty() => location.pathname.get_untracked(),
                search => format!("{}?{search}", location.pathname.get_untracked()),
            };
            let sign_in =
                format!("/staff/sign-in?{}", serde_urlencoded::to_string([("next", here)]).unwrap_or_default());
            view! {
                <h1>"Please sign in"</h1>
                <p>"This page is for staff. Sign in to continue where you were."</p>
                <p><a class="button" href=sign_in>"Sign in"</a></p>
            }
            .into_any()
        }
        Refusal::Forbidden => {
            set_status(403);
            view! {
                <h1>"No access"</h1>
                <p>"Your role does not give you access to this page. If you need it, ask an administrator."</p>
                <p><a href="/staff">"Back to the queue"</a></p>
            }
            .into_any()
        }
        Refusal::NotFound => {
            set_status(404);
            view! {
                <h1>"Not found"</h1>
                <p>"There is nothing at this address. If you typed a reference, please check it."</p>
                <p><a href="/staff">"Back to the queue"</a></p>
            }
            .into_any()
        }
    }
}

#[component]
fn Unavailable(incident: String) -> impl IntoView {
    view! {
        <h1>"This page is unavailable right now"</h1>
        <p>"Something went wrong on our side. Nothing was changed. Please try again in a few minutes."</p>
        {(!incident.is_empty()).then(|| view! {
            <p>"If it keeps happening, report incident " <strong class="reference">{incident}</strong> "."</p>
        })}
    }
}

/// The confirmation the server asks for with `?done=` after a change. On a
/// page of cards (`on_cards`) a change made from a card is confirmed on
/// that card instead.
#[component]
fn Done(#[prop(optional)] on_cards: bool) -> impl IntoView {
    let query = use_query_map();
    let (done, changed, skipped) =
        query.with_untracked(|query| (query.get("done"), query.get("changed"), query.get("skipped")));
    done.filter(|what| !on_cards || DoneCode::parse(what).and_then(DoneCode::case_card).is_none()).map(|what| {
        let message = done_message(DoneCode::parse(&what), changed, skipped);
        view! { <p class="done" role="status">{message}</p> }
    })
}

/// The change the server asks the page to confirm with `?done=`.
fn done_code() -> Option<DoneCode> {
    use_query_map().with_untracked(|query| query.get("done")).and_then(|what| DoneCode::parse(&what))
}

fn done_message(done: Option<DoneCode>, changed: Option<String>, skipped: Option<String>) -> String {
    match done {
        Some(DoneCode::Assigned) => "Assigned.".to_owned(),
        Some(DoneCode::Note) => "Note added.".to_owned(),
        Some(DoneCode::Message) => "Message sent to the customer.".to_owned(),
        Some(DoneCode::Status) => "Status changed.".to_owned(),
        Some(DoneCode::Extended) => {
            "Deadline extended. The customer is sent a notice with the reason and the new date.".to_owned()
        }
        Some(DoneCode::Entered) => "Request recorded.".to_owned(),
        Some(DoneCode::Bulk) => bulk_summary(changed, skipped),
        Some(DoneCode::Retried) => "The email will be sent again shortly.".to_owned(),
        Some(DoneCode::Printed) => "Marked printed. Post it today.".to_owned(),
        Some(DoneCode::Invited) => "Invitation sent.".to_owned(),
        Some(DoneCode::Role) => "Role changed.".to_owned(),
        Some(DoneCode::Disabled) => "Account disabled. Its sessions have ended.".to_owned(),
        Some(DoneCode::Enabled) => "Account enabled.".to_owned(),
        Some(DoneCode::Revoked) => "Token revoked.".to_owned(),
        Some(DoneCode::Held) => "Legal hold placed. This request will not be purged until it is lifted.".to_owned(),
        Some(DoneCode::Released) => "Legal hold lifted.".to_owned(),
        Some(DoneCode::Registered) => {
            "Endpoint registered. Give its signing secret to the receiving system.".to_owned()
        }
        Some(DoneCode::Rotated) => {
            "New signing secret made. The old one also signs deliveries for the next 24 hours.".to_owned()
        }
        Some(DoneCode::Resent) => "The delivery will be sent again shortly.".to_owned(),
        Some(DoneCode::Stopped) => "Endpoint stopped. Nothing more is sent to it.".to_owned(),
        Some(DoneCode::OptOutRevoked) => "Revocation recorded. The opt-out no longer stands from today.".to_owned(),
        Some(DoneCode::AssociateAdded) => {
            "Business associate added. It is offered on every accepted amendment.".to_owned()
        }
        Some(DoneCode::AssociateRemoved) => "Business associate removed. Notices already sent are kept.".to_owned(),
        Some(DoneCode::Merged) => {
            "Merged into the earlier request. The customer is told which reference to follow.".to_owned()
        }
        Some(DoneCode::Rebutted) => "Rebuttal recorded and sent to the customer.".to_owned(),
        Some(DoneCode::AgentVerified) => "Agent's authority verified: work on the request may start.".to_owned(),
        Some(DoneCode::KeptSeparate) => "Kept separate: no longer marked as a possible duplicate.".to_owned(),
        Some(DoneCode::LetterSaved) => "Saved. The next letter of this kind is written in these words.".to_owned(),
        Some(DoneCode::LetterRestored) => {
            "Restored, as a new version. The next letter of this kind is written in these words.".to_owned()
        }
        Some(DoneCode::ViewSaved) => "View saved. It is listed with your views above the queue.".to_owned(),
        Some(DoneCode::ViewRemoved) => "View removed from your views.".to_owned(),
        None => "Your change was saved.".to_owned(),
    }
}

/// What a change to several requests did: rows changed by somebody else in
/// the meantime, or that cannot take the step, are skipped.
fn bulk_summary(changed: Option<String>, skipped: Option<String>) -> String {
    let count = |n: Option<String>| n.and_then(|n| n.parse::<u32>().ok()).unwrap_or(0);
    let requests = |n: u32| if n == 1 { "1 request".to_owned() } else { format!("{n} requests") };
    match (count(changed), count(skipped)) {
        (changed, 0) => format!("{} changed.", requests(changed)),
        (changed, skipped) => format!(
            "{} changed. {} skipped: changed by someone else meanwhile, or not able to take that action.",
            requests(changed),
            requests(skipped)
        ),
    }
}

/// Today in the organisation's time zone, by the server's clock, for the
/// defaults of date fields. A resource, so that the page the server drew
/// and the page drawn in the browser after a click both ask the server.
fn today() -> Resource<Result<Answer<NaiveDate>, ServerFnError>> {
    Resource::new(|| (), |_| load_today())
}

#[cfg(test)]
mod tests {
    use super::bulk_summary;

    #[test]
    fn a_bulk_change_says_what_it_skipped() {
        assert_eq!(bulk_summary(Some("1".into()), Some("0".into())), "1 request changed.");
        assert!(bulk_summary(Some("2".into()), Some("3".into())).starts_with("2 requests changed. 3 requests skipped"));
    }
}
