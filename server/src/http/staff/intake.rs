//! Requests received by phone or mail, entered by staff for the customer.

use app::domain::form::{AmendmentForm, ComplaintForm, OptOutForm, ReplyBy};
use app::domain::staff_forms::{DoneCode, FormName, IntakeForm};
use app::domain::{Channel, FormState, Language, ParseContext, RequestForm};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::clocks::Received;
use crate::http::extract::StaffForm;
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError, pages};
use crate::requests::Intake;
use crate::staff::actor;

pub fn routes() -> Routes {
    Routes::new()
        .post("/staff/new/opt-out", enter::<OptOutForm>)
        .post("/staff/new/amendment", enter::<AmendmentForm>)
        .post("/staff/new/complaint", enter::<ComplaintForm>)
}

async fn enter<F: RequestForm>(
    State(state): State<AppState>,
    form: StaffForm<IntakeForm<F>>,
) -> Result<Response, HttpError> {
    let StaffForm { viewer, body: IntakeForm { request: values, channel, received_on, reply_by }, sent } = form;
    let channel = Channel::parse(&channel).filter(|c| *c != Channel::Web);
    let received_at = match received_on.parse::<chrono::NaiveDate>() {
        Ok(day) => state.clocks.received(Received::Day(day)).map_err(|problem| problem.to_string()),
        Err(_) => Err("Give the date the request was received.".to_owned()),
    };
    let intake_problem = match (channel, &received_at) {
        (None, _) => Some("Choose whether the request came by phone or by mail.".to_owned()),
        (_, Err(problem)) => Some(problem.clone()),
        _ => None,
    };
    // A blank answer is by email, as the form's first choice says.
    let reply_by = ReplyBy::parse(reply_by.trim()).unwrap_or(ReplyBy::Email);
    let parsed = values.parse_replying(
        &ParseContext { today: state.clocks.today(), gpc: false, lang: app::domain::Language::En },
        reply_by,
    );
    match (parsed, intake_problem, channel, received_at) {
        (Ok(request), None, Some(channel), Ok(received_at)) => {
            let intake = Intake { channel, received_at, entered_by: Some(actor(&viewer)), language: Language::En };
            let receipt = state.store.submit(&request, &intake).await?;
            let done = DoneCode::Entered;
            Ok(Redirect::to(&format!("/staff/requests/{}?done={done}", receipt.reference)).into_response())
        }
        (parsed, problem, ..) => {
            let form = FormState { values, errors: parsed.err().unwrap_or_default() };
            let problem = problem.unwrap_or_else(|| "Please correct the answers marked below.".to_owned());
            let feedback = sent.feedback(FormName::Intake, problem);
            let parts = sent.into_parts();
            let page = parts.uri.path().to_owned();
            let mut page = pages::render_at(&state, parts, &page, move || {
                leptos::prelude::provide_context(form.clone());
                leptos::prelude::provide_context(feedback.clone());
            })
            .await;
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
    }
}
