//! Server functions, and the services the server puts into context for
//! them. A server function only checks who is asking and calls a service;
//! the server crate implements the service over its database.

use leptos::prelude::*;

use crate::domain::TrackingView;
#[cfg(feature = "ssr")]
use crate::domain::access::Action;
use crate::domain::access::{AccessError, Viewer};
use crate::domain::accounts::{ApiTokenInfo, StaffMember};
use crate::domain::case::{CaseView, LetterState};
#[cfg(feature = "ssr")]
use crate::domain::metrics::MetricsQuery;
use crate::domain::metrics::{Dashboard, Disclosure, PeriodError};
use crate::domain::queue::QueuePage;
#[cfg(feature = "ssr")]
use crate::domain::queue::QueueQuery;
#[cfg(feature = "ssr")]
use crate::domain::register::RegisterQuery;
use crate::domain::register::{PersonHistory, RegisterPage};
use crate::domain::saved_views::SavedView;
#[cfg(feature = "ssr")]
use crate::domain::{ReferenceCode, access};

/// The customer-facing operations the pages need from the server.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait CustomerService: Send + Sync + 'static {
    /// Finds a request by its private tracking token. An unknown token and a
    /// malformed one both give `None`, so the answer reveals nothing.
    async fn track(&self, token: &str) -> Result<Option<TrackingView>, ServiceError>;
}

/// A failure inside a service. Its details go to the server log; the person
/// sees a calm message with the reference to quote.
#[derive(Debug, thiserror::Error)]
#[error("service unavailable (reference {reference})")]
pub struct ServiceError {
    pub reference: String,
}

#[cfg(feature = "ssr")]
pub type SharedCustomerService = std::sync::Arc<dyn CustomerService>;

/// The tracking page's data. Whoever presents the link is its holder, and
/// the link is the only credential: the rule book says what a holder may
/// see, and an unknown link finds nothing.
#[server(endpoint = "track")]
pub async fn load_tracking(token: String) -> Result<Option<TrackingView>, ServerFnError> {
    if !access::permits(access::Actor::Customer, Action::TrackRequest) {
        return Ok(None);
    }
    let service = expect_context::<SharedCustomerService>();
    // Only the incident reference crosses to the browser; the details are in
    // the server's log under it.
    service.track(&token).await.map_err(|e| ServerFnError::new(e.reference))
}

/// Why a staff page shows no data.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Refusal {
    SignedOut,
    Forbidden,
    NotFound,
}

impl From<AccessError> for Refusal {
    fn from(error: AccessError) -> Self {
        match error {
            AccessError::SignedOut => Self::SignedOut,
            AccessError::Forbidden => Self::Forbidden,
        }
    }
}

/// A staff page's data, or why the viewer may not have it.
pub type Answer<T> = Result<T, Refusal>;

/// The staff-facing reads the pages need. Changes go through the server's
/// form handlers, which work without JavaScript.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait StaffService: Send + Sync + 'static {
    async fn queue(&self, viewer: &Viewer, query: &QueueQuery) -> Result<QueuePage, ServiceError>;
    /// The queue views the viewer saved, in the order saved: theirs alone.
    async fn saved_views(&self, viewer: &Viewer) -> Result<Vec<SavedView>, ServiceError>;
    /// Opening a case is itself recorded in the audit log.
    async fn case(&self, viewer: &Viewer, reference: &ReferenceCode) -> Result<Option<CaseView>, ServiceError>;
    async fn staff(&self) -> Result<Vec<StaffMember>, ServiceError>;
    async fn undelivered_letters(&self) -> Result<Vec<LetterState>, ServiceError>;
    /// Letters to customers answered by post, waiting to be printed.
    async fn letters_to_print(&self) -> Result<Vec<crate::domain::case::PrintLetter>, ServiceError>;
    async fn api_tokens(&self) -> Result<Vec<ApiTokenInfo>, ServiceError>;
    /// Every token issued in the viewer's name, whoever issued it.
    async fn own_tokens(&self, viewer: &Viewer) -> Result<Vec<ApiTokenInfo>, ServiceError>;
    async fn webhooks(&self) -> Result<Vec<crate::domain::webhooks::EndpointInfo>, ServiceError>;
    async fn business_associates(&self) -> Result<Vec<crate::domain::notices::BusinessAssociate>, ServiceError>;
    /// The customer letters administrators may reword.
    async fn letters(&self) -> Result<Vec<crate::domain::wording::LetterSummary>, ServiceError>;
    /// One letter in `lang` open in the editor; `None` for a name that is no
    /// such letter.
    async fn letter(
        &self,
        letter: &str,
        lang: crate::domain::Language,
    ) -> Result<Option<crate::domain::wording::LetterEditing>, ServiceError>;
    /// A page of the opt-out register for the list's query string.
    async fn opt_out_register(&self, query: &RegisterQuery) -> Result<RegisterPage, ServiceError>;
    /// The history of the person an opt-out is about.
    async fn opt_out_person(&self, opt_out: &str) -> Result<Option<PersonHistory>, ServiceError>;
}

#[cfg(feature = "ssr")]
pub type SharedStaffService = std::sync::Arc<dyn StaffService>;

/// The managers' figures: the dashboard and the yearly disclosure.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait MetricsService: Send + Sync + 'static {
    /// The figures, or why the query's period is not counted.
    async fn dashboard(&self, query: &MetricsQuery) -> Result<Result<Dashboard, PeriodError>, ServiceError>;
    /// `None` for a year that does not exist; this year when none is given.
    async fn disclosure(&self, year: Option<i32>) -> Result<Option<Disclosure>, ServiceError>;
}

#[cfg(feature = "ssr")]
pub type SharedMetricsService = std::sync::Arc<dyn MetricsService>;

/// The staff member the server signed in for this request, if any.
#[cfg(feature = "ssr")]
pub fn current_viewer() -> Option<Viewer> {
    use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<Viewer>().cloned())
}

/// The service and the viewer, once the viewer may take `action`.
#[cfg(feature = "ssr")]
fn admit(action: Action) -> Answer<(SharedStaffService, Viewer)> {
    let viewer = current_viewer();
    access::require(viewer.as_ref(), action)?;
    let viewer = viewer.ok_or(Refusal::SignedOut)?;
    Ok((expect_context::<SharedStaffService>(), viewer))
}

#[cfg(feature = "ssr")]
fn unavailable(error: ServiceError) -> ServerFnError {
    ServerFnError::new(error.reference)
}

/// The API token issued just before this page was asked for, which the
/// server hands to that one page.
pub fn issued_token() -> crate::domain::accounts::IssuedToken {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        return parts.extensions.get::<crate::domain::accounts::IssuedToken>().cloned().unwrap_or_default();
    }
    crate::domain::accounts::IssuedToken::default()
}

/// Who is signed in, for the staff header and the forms' CSRF token.
#[server(endpoint = "staff/viewer")]
pub async fn load_viewer() -> Result<Option<Viewer>, ServerFnError> {
    Ok(current_viewer())
}

/// Today in the organisation's time zone, by the server's clock: the
/// default and the limit of staff date fields. Asked of the server however
/// the page was reached, as a page drawn in the browser has no server
/// context to read it from.
#[server(endpoint = "staff/today")]
pub async fn load_today() -> Result<Answer<chrono::NaiveDate>, ServerFnError> {
    if let Err(refusal) = admit(Action::ViewQueue) {
        return Ok(Err(refusal));
    }
    let today = use_context::<crate::domain::site::OrgToday>().ok_or_else(|| ServerFnError::new("no clock"))?;
    Ok(Ok(today.0))
}

/// A page of the queue, the staff it may be filtered by, and the views the
/// viewer saved. `query` is the page's query string.
#[server(endpoint = "staff/queue")]
pub async fn load_queue(query: String) -> Result<Answer<(QueuePage, Vec<StaffMember>, Vec<SavedView>)>, ServerFnError> {
    let (service, viewer) = match admit(Action::ViewQueue) {
        Ok(admitted) => admitted,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let query = QueueQuery::from_query_string(&query);
    let page = service.queue(&viewer, &query).await.map_err(unavailable)?;
    let staff = service.staff().await.map_err(unavailable)?;
    Ok(Ok((page, staff, service.saved_views(&viewer).await.map_err(unavailable)?)))
}

/// One case, and the staff it may be assigned to.
#[server(endpoint = "staff/case")]
pub async fn load_case(reference: String) -> Result<Answer<(CaseView, Vec<StaffMember>)>, ServerFnError> {
    let (service, viewer) = match admit(Action::OpenCase) {
        Ok(admitted) => admitted,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let Ok(reference) = ReferenceCode::parse(&reference) else {
        return Ok(Err(Refusal::NotFound));
    };
    match service.case(&viewer, &reference).await.map_err(unavailable)? {
        Some(case) => Ok(Ok((case, service.staff().await.map_err(unavailable)?))),
        None => Ok(Err(Refusal::NotFound)),
    }
}

/// Every staff account, for the administrator's page.
#[server(endpoint = "staff/people")]
pub async fn load_people() -> Result<Answer<Vec<StaffMember>>, ServerFnError> {
    match admit(Action::ManageStaff) {
        Ok((service, _)) => Ok(Ok(service.staff().await.map_err(unavailable)?)),
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// Letters that have not gone out yet, failed ones first.
#[server(endpoint = "staff/mail")]
pub async fn load_undelivered_letters() -> Result<Answer<Vec<LetterState>>, ServerFnError> {
    match admit(Action::ManageMail) {
        Ok((service, _)) => Ok(Ok(service.undelivered_letters().await.map_err(unavailable)?)),
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// The print queue: letters to customers answered by post, oldest first.
#[server(endpoint = "staff/print")]
pub async fn load_letters_to_print() -> Result<Answer<Vec<crate::domain::case::PrintLetter>>, ServerFnError> {
    match admit(Action::ManageMail) {
        Ok((service, _)) => Ok(Ok(service.letters_to_print().await.map_err(unavailable)?)),
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// API tokens in force, and the staff they may be issued to.
#[server(endpoint = "staff/tokens")]
pub async fn load_api_tokens() -> Result<Answer<(Vec<ApiTokenInfo>, Vec<StaffMember>)>, ServerFnError> {
    match admit(Action::ManageApiTokens) {
        Ok((service, _)) => {
            let tokens = service.api_tokens().await.map_err(unavailable)?;
            Ok(Ok((tokens, service.staff().await.map_err(unavailable)?)))
        }
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// The webhook endpoints with their latest deliveries.
#[server(endpoint = "staff/webhooks")]
pub async fn load_webhooks() -> Result<Answer<Vec<crate::domain::webhooks::EndpointInfo>>, ServerFnError> {
    match admit(Action::ManageWebhooks) {
        Ok((service, _)) => Ok(Ok(service.webhooks().await.map_err(unavailable)?)),
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// The business associates told of accepted amendments.
#[server(endpoint = "staff/associates")]
pub async fn load_associates() -> Result<Answer<Vec<crate::domain::notices::BusinessAssociate>>, ServerFnError> {
    match admit(Action::ManageBusinessAssociates) {
        Ok((service, _)) => Ok(Ok(service.business_associates().await.map_err(unavailable)?)),
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// The viewer's own account: the API tokens issued in their name.
#[server(endpoint = "staff/account")]
pub async fn load_account() -> Result<Answer<Vec<ApiTokenInfo>>, ServerFnError> {
    match admit(Action::ViewOwnAccount) {
        Ok((service, viewer)) => Ok(Ok(service.own_tokens(&viewer).await.map_err(unavailable)?)),
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// The managers' dashboard for the page's query string.
#[server(endpoint = "staff/dashboard")]
pub async fn load_dashboard(query: String) -> Result<Answer<Result<Dashboard, PeriodError>>, ServerFnError> {
    if let Err(refusal) = admit(Action::ViewMetrics) {
        return Ok(Err(refusal));
    }
    let metrics = expect_context::<SharedMetricsService>();
    let query = MetricsQuery::from_query_string(&query);
    Ok(Ok(metrics.dashboard(&query).await.map_err(unavailable)?))
}

/// The CCPA disclosure table for a calendar year (this year when `None`).
#[server(endpoint = "staff/disclosure")]
pub async fn load_disclosure(year: Option<i32>) -> Result<Answer<Disclosure>, ServerFnError> {
    if let Err(refusal) = admit(Action::ViewMetrics) {
        return Ok(Err(refusal));
    }
    let metrics = expect_context::<SharedMetricsService>();
    match metrics.disclosure(year).await.map_err(unavailable)? {
        Some(disclosure) => Ok(Ok(disclosure)),
        None => Ok(Err(Refusal::NotFound)),
    }
}

/// A page of the opt-out register. `query` is the page's query string.
#[server(endpoint = "staff/opt-outs")]
pub async fn load_opt_out_register(query: String) -> Result<Answer<RegisterPage>, ServerFnError> {
    let (service, _) = match admit(Action::ViewOptOutRegister) {
        Ok(admitted) => admitted,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let query = RegisterQuery::from_query_string(&query);
    Ok(Ok(service.opt_out_register(&query).await.map_err(unavailable)?))
}

/// The register's history of the person an opt-out is about.
#[server(endpoint = "staff/opt-out")]
pub async fn load_opt_out_person(opt_out: String) -> Result<Answer<PersonHistory>, ServerFnError> {
    let (service, _) = match admit(Action::ViewOptOutRegister) {
        Ok(admitted) => admitted,
        Err(refusal) => return Ok(Err(refusal)),
    };
    match service.opt_out_person(&opt_out).await.map_err(unavailable)? {
        Some(person) => Ok(Ok(person)),
        None => Ok(Err(Refusal::NotFound)),
    }
}

/// The customer letters and the version of each in force.
#[server(endpoint = "staff/letters")]
pub async fn load_letters() -> Result<Answer<Vec<crate::domain::wording::LetterSummary>>, ServerFnError> {
    match admit(Action::EditLetters) {
        Ok((service, _)) => Ok(Ok(service.letters().await.map_err(unavailable)?)),
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// One letter in the editor, in one language (English when none is
/// asked for): its wording, versions and sample.
#[server(endpoint = "staff/letter")]
pub async fn load_letter(
    letter: String,
    lang: Option<crate::domain::Language>,
) -> Result<Answer<crate::domain::wording::LetterEditing>, ServerFnError> {
    let lang = lang.unwrap_or(crate::domain::Language::En);
    let service = match admit(Action::EditLetters) {
        Ok((service, _)) => service,
        Err(refusal) => return Ok(Err(refusal)),
    };
    Ok(service.letter(&letter, lang).await.map_err(unavailable)?.ok_or(Refusal::NotFound))
}
