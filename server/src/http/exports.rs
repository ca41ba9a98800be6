//! CSV downloads of the dashboard: the requests behind it, each of its
//! tables, and the yearly disclosure. Same filters as the page, same rule
//! book: only those who may see the metrics may take them away.

use app::domain::access::{Action, require};
use app::domain::disagreement::disclosure_record;
use app::domain::metrics::{MetricsQuery, TableSlug};
use app::domain::{ReferenceCode, Viewer};
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::error::Incident;
use super::routes::Routes;
use super::{AppState, HttpError};
use crate::metrics::{MetricsError, table_csv};

pub fn routes() -> Routes {
    Routes::new()
        .get("/staff/dashboard/{file}", dashboard_file)
        .get("/staff/disclosure.csv", disclosure)
        .get("/staff/opt-outs.csv", opt_out_register)
        .get("/staff/requests/{reference}/disclosure.txt", with_disclosures)
}

/// Someone the rule book lets see the metrics. Taken after the address's
/// other parts, so an unreadable address is told as such to anyone.
struct MetricsViewer;

impl FromRequestParts<AppState> for MetricsViewer {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, HttpError> {
        require(parts.extensions.get::<Viewer>(), Action::ViewMetrics).map(|_| Self).map_err(|_| HttpError::Forbidden)
    }
}

/// `requests.csv`, or `<table>.csv` for one of the dashboard's tables.
async fn dashboard_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    _: MetricsViewer,
) -> Result<Response, HttpError> {
    let query = MetricsQuery::from_query_string(query.as_deref().unwrap_or_default());
    let period = query.period(state.metrics.today())?;
    let name = |what: &str| format!("{what}-{}-to-{}.csv", period.from, period.to);
    let Some(stem) = file.strip_suffix(".csv") else { return Ok(StatusCode::NOT_FOUND.into_response()) };
    if stem == "requests" {
        return Ok(attachment(&name("requests"), state.metrics.requests_csv(&query).await));
    }
    let Some(slug) = TableSlug::parse(stem).filter(|slug| *slug != TableSlug::Disclosure) else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    Ok(match state.metrics.dashboard(&query).await.map(|dashboard| dashboard.table(slug)) {
        Ok(Some(table)) => attachment(&name(stem), table_csv(&table)),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => unavailable(error),
    })
}

#[derive(serde::Deserialize)]
struct Year {
    year: Option<String>,
}

async fn disclosure(
    State(state): State<AppState>,
    axum::extract::Query(Year { year }): axum::extract::Query<Year>,
    _: MetricsViewer,
) -> Result<Response, HttpError> {
    let year = year.and_then(|year| year.trim().parse::<i32>().ok());
    Ok(match state.metrics.disclosure(year).await {
        Ok(Some(disclosure)) => {
            attachment(&format!("request-metrics-{}.csv", disclosure.year), table_csv(&disclosure.table()))
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => unavailable(error),
    })
}

#[derive(serde::Deserialize)]
struct Day {
    on: Option<String>,
}

/// Who was opted out on the day chosen (today when none is), as CSV with
/// the register screens' labels.
async fn opt_out_register(
    State(state): State<AppState>,
    axum::extract::Query(Day { on }): axum::extract::Query<Day>,
    viewer: Option<axum::Extension<Viewer>>,
) -> Result<Response, HttpError> {
    require(viewer.as_ref().map(|v| &v.0), Action::ViewOptOutRegister).map_err(|_| HttpError::Forbidden)?;
    let day = match on.as_deref().map(str::trim).filter(|on| !on.is_empty()) {
        None => state.register.today(),
        Some(on) => match on.parse() {
            Ok(day) => day,
            Err(_) => return Ok((StatusCode::BAD_REQUEST, "Give the day as YYYY-MM-DD.").into_response()),
        },
    };
    let body = state.register.export(day).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"opt-outs-as-of-{day}.csv\"")),
        ],
        body,
    )
        .into_response())
}

/// What goes with any disclosure of a denied amendment's information: the
/// request, the denial, the statement of disagreement and any rebuttal, as
/// one text. Reading it opens the case, and is logged as an opening.
async fn with_disclosures(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    viewer: Option<axum::Extension<Viewer>>,
) -> Result<Response, HttpError> {
    let viewer = viewer.as_ref().map(|v| &v.0);
    require(viewer, Action::OpenCase).map_err(|_| HttpError::Forbidden)?;
    let Some(viewer) = viewer else { return Err(HttpError::Forbidden) };
    let Ok(reference) = ReferenceCode::parse(&reference) else { return Ok(StatusCode::NOT_FOUND.into_response()) };
    let Some(case) = state.desk.open(viewer, &reference).await.map_err(HttpError::Case)? else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    let record =
        case.outcome.as_ref().zip(case.disagreement.as_ref()).and_then(|(outcome, disagreement)| {
            disclosure_record(&case.reference, &case.details, outcome, disagreement)
        });
    let Some(record) = record else { return Ok(StatusCode::NOT_FOUND.into_response()) };
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{reference}-with-disclosures.txt\"")),
        ],
        record,
    )
        .into_response())
}

fn attachment(file_name: &str, body: Result<Vec<u8>, MetricsError>) -> Response {
    match body {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
            ],
            body,
        )
            .into_response(),
        Err(error) => unavailable(error),
    }
}

fn unavailable(error: MetricsError) -> Response {
    Incident::record("a metrics export", &error).page()
}
