//! The staff side: the queue, cases, requests taken by phone or mail, mail
//! that did not go out, and the people who may sign in. Every change is a
//! plain HTML form posted to the server, so all of it works without
//! JavaScript.

mod case;
mod case_forms;
mod frame;
mod intake;
mod labels;
mod mail;
mod people;
mod queue;
mod sign_in;
mod welcome;

pub use case::CasePage;
pub use frame::{StaffHeader, provide_viewer};
pub use intake::{NewRequestPage, StaffAmendmentPage, StaffComplaintPage, StaffOptOutPage};
pub use mail::MailPage;
pub use people::PeoplePage;
pub use queue::QueuePage;
pub use sign_in::SignInPage;
pub use welcome::WelcomePage;

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use crate::domain::access::{self, Action, Viewer};
use crate::domain::case::StaffFeedback;
use crate::services::{Answer, Refusal};

use super::set_status;

/// Who is signed in, as the frame loaded it.
type ViewerResult = Result<Option<Viewer>, ServerFnError>;

/// What the server sent back with the page when it refused a form: empty
/// on a first visit. Carried into the browser with the page so hydration
/// starts from the same state.
fn staff_feedback() -> StaffFeedback {
    SharedValue::new(|| use_context::<StaffFeedback>().unwrap_or_default()).into_inner()
}

/// Why `form` was refused, when the page came back for it.
fn refusal_for(feedback: &StaffFeedback, form: &str) -> Option<String> {
    (feedback.form == form && !feedback.message.is_empty()).then(|| feedback.message.clone())
}

/// What was typed into a field of a refused form, or `default`.
fn typed(feedback: &StaffFeedback, form: &str, field: &str, default: impl Into<String>) -> String {
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

/// The confirmation the server asks for with `?done=` after a change.
#[component]
fn Done() -> impl IntoView {
    let query = use_query_map();
    let done = query.read_untracked().get("done");
    done.map(|what| {
        let message = match what.as_str() {
            "assign" => "Assigned.",
            "note" => "Note added.",
            "message" => "Message sent to the customer.",
            "step" => "Status changed.",
            "bulk" => "The selected requests were updated.",
            "retry" => "The email will be sent again shortly.",
            "invite" => "Invitation sent.",
            "role" => "Role changed.",
            "disable" => "Account disabled. Its sessions have ended.",
            "enable" => "Account enabled.",
            "intake" => "Request recorded.",
            _ => "Your change was saved.",
        };
        view! { <p class="done" role="status">{message}</p> }
    })
}

/// Today's date, the default of date fields, taken once where the page is
/// first drawn so that hydration agrees with the server.
fn today() -> NaiveDate {
    SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        let today = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|since| DateTime::from_timestamp(since.as_secs() as i64, 0))
            .map(|now| now.date_naive());
        #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
        let today = {
            let now = js_sys::Date::new_0();
            NaiveDate::from_ymd_opt(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
        };
        #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
        let today = None;
        today.unwrap_or_default()
    })
    .into_inner()
}

fn long_date(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

fn received_date(at: DateTime<Utc>) -> String {
    long_date(at.date_naive())
}
