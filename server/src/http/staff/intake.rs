//! Requests received by phone or mail, entered by staff for the customer.

use app::domain::form::{AmendmentForm, ComplaintForm, OptOutForm};
use app::domain::staff_forms::{DoneCode, FormName, IntakeForm};
use app::domain::{Channel, FormState, ParseContext, RequestForm};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveTime, TimeZone, Utc};

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
    let StaffForm { viewer, body: IntakeForm { request: values, channel, received_on }, sent } = form;
    let clocks = &state.clocks;
    let today = clocks.today();
    let channel = Channel::parse(&channel).filter(|c| *c != Channel::Web);
    let received_on = received_on.parse::<chrono::NaiveDate>().ok();
    let intake_problem = match (channel, received_on) {
        (None, _) => Some("Choose whether the request came by phone or by mail."),
        (_, None) => Some("Give the date the request was received."),
        (_, Some(day)) if day > today => Some("The date received cannot be in the future."),
        (_, Some(day)) if day < today - chrono::Days::new(366) => {
            Some("The date received must be within the last year.")
        }
        _ => None,
    };
    let parsed = values.parse(&ParseContext { today, gpc: false });
    match (parsed, intake_problem, channel, received_on) {
        (Ok(request), None, Some(channel), Some(day)) => {
            // The start of business that day: the clock counts from the day itself.
            let opening = day.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
            let received_at = clocks
                .time_zone()
                .from_local_datetime(&opening)
                .earliest()
                .map_or_else(|| Utc.from_utc_datetime(&opening), |local| local.with_timezone(&Utc));
            let intake = Intake { channel, received_at, entered_by: Some(actor(&viewer)) };
            let receipt = state.store.submit(&request, &intake).await?;
            let done = DoneCode::Entered;
            Ok(Redirect::to(&format!("/staff/requests/{}?done={done}", receipt.reference)).into_response())
        }
        (parsed, problem, ..) => {
            let form = FormState { values, errors: parsed.err().unwrap_or_default() };
            let feedback =
                sent.feedback(FormName::Intake, problem.unwrap_or("Please correct the answers marked below."));
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
