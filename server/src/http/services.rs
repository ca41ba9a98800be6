//! The services the server puts into context for the pages' server
//! functions, over the case desk, the request store and the metrics. A
//! failure is logged as an incident; only its reference reaches the page.

use app::domain::accounts::ApiTokenInfo;
use app::domain::case::{CaseView, LetterState, StaffMember};
use app::domain::metrics::{Dashboard, Disclosure, MetricsQuery, PeriodError};
use app::domain::notices::BusinessAssociate;
use app::domain::queue::{QueuePage, QueueQuery};
use app::domain::register::{PersonHistory, RegisterPage, RegisterQuery};
use app::domain::saved_views::SavedView;
use app::domain::webhooks::EndpointInfo;
use app::domain::wording::{LetterEditing, LetterSummary};
use app::domain::{Language, ReferenceCode, TrackingView, Viewer};
use app::services::{CustomerService, MetricsService, ServiceError, StaffService};

use super::error::Incident;
use crate::associates::Associates;
use crate::cases::CaseDesk;
use crate::mail::editor::{EditorError, LetterEditor};
use crate::metrics::{Metrics, MetricsError};
use crate::register::Register;
use crate::requests::RequestStore;
use crate::staff::saved_views::SavedViews;
use crate::staff::tokens::ApiTokens;
use crate::webhooks::Webhooks;

/// The staff-facing reads, over the case desk and the opt-out register.
pub struct StaffPortal {
    desk: CaseDesk,
    tokens: ApiTokens,
    register: Register,
    webhooks: Webhooks,
    associates: Associates,
    letters: LetterEditor,
    saved_views: SavedViews,
}

impl StaffPortal {
    pub fn new(
        desk: CaseDesk,
        tokens: ApiTokens,
        register: Register,
        webhooks: Webhooks,
        associates: Associates,
        letters: LetterEditor,
        saved_views: SavedViews,
    ) -> Self {
        Self { desk, tokens, register, webhooks, associates, letters, saved_views }
    }
}

#[async_trait::async_trait]
impl StaffService for StaffPortal {
    async fn queue(&self, viewer: &Viewer, query: &QueueQuery) -> Result<QueuePage, ServiceError> {
        self.desk.queue(viewer, query).await.map_err(|e| Incident::record("the queue", &e).into())
    }

    async fn saved_views(&self, viewer: &Viewer) -> Result<Vec<SavedView>, ServiceError> {
        self.saved_views.of(viewer.id).await.map_err(|e| Incident::record("one's saved views", &e).into())
    }

    async fn case(&self, viewer: &Viewer, reference: &ReferenceCode) -> Result<Option<CaseView>, ServiceError> {
        self.desk.open(viewer, reference).await.map_err(|e| Incident::record("opening a case", &e).into())
    }

    async fn staff(&self) -> Result<Vec<StaffMember>, ServiceError> {
        self.desk.staff_list().await.map_err(|e| Incident::record("the staff list", &e).into())
    }

    async fn undelivered_letters(&self) -> Result<Vec<LetterState>, ServiceError> {
        self.desk.undelivered().await.map_err(|e| Incident::record("the undelivered letters", &e).into())
    }

    async fn letters_to_print(&self) -> Result<Vec<app::domain::case::PrintLetter>, ServiceError> {
        self.desk.letters_to_print().await.map_err(|e| Incident::record("the print queue", &e).into())
    }

    async fn api_tokens(&self) -> Result<Vec<ApiTokenInfo>, ServiceError> {
        self.tokens.list(self.desk.clocks()).await.map_err(|e| Incident::record("the API token list", &e).into())
    }

    async fn own_tokens(&self, viewer: &Viewer) -> Result<Vec<ApiTokenInfo>, ServiceError> {
        self.tokens
            .of_owner(viewer, self.desk.clocks())
            .await
            .map_err(|e| Incident::record("one's own tokens", &e).into())
    }

    async fn webhooks(&self) -> Result<Vec<EndpointInfo>, ServiceError> {
        self.webhooks.list().await.map_err(|e| Incident::record("the webhook endpoints", &e).into())
    }

    async fn business_associates(&self) -> Result<Vec<BusinessAssociate>, ServiceError> {
        self.associates.list().await.map_err(|e| Incident::record("the business associates", &e).into())
    }

    async fn letters(&self) -> Result<Vec<LetterSummary>, ServiceError> {
        self.letters.list().await.map_err(|e| Incident::record("the letters", &e).into())
    }

    async fn letter(&self, letter: &str, lang: Language) -> Result<Option<LetterEditing>, ServiceError> {
        match self.letters.open(letter, lang).await {
            Ok(editing) => Ok(Some(editing)),
            Err(EditorError::Unknown) => Ok(None),
            Err(e) => Err(Incident::record("a letter's wording", &e).into()),
        }
    }

    async fn opt_out_register(&self, query: &RegisterQuery) -> Result<RegisterPage, ServiceError> {
        self.register.page(query).await.map_err(|e| Incident::record("the opt-out register", &e).into())
    }

    async fn opt_out_person(&self, opt_out: &str) -> Result<Option<PersonHistory>, ServiceError> {
        self.register.person(opt_out).await.map_err(|e| Incident::record("an opt-out history", &e).into())
    }
}

/// The customer-facing service the pages call, over the request store.
pub struct CustomerPortal {
    store: RequestStore,
}

impl CustomerPortal {
    pub fn new(store: RequestStore) -> Self {
        Self { store }
    }
}

#[async_trait::async_trait]
impl CustomerService for CustomerPortal {
    async fn track(&self, token: &str) -> Result<Option<TrackingView>, ServiceError> {
        self.store.track(token).await.map_err(|e| Incident::record("tracking lookup", &e).into())
    }
}

#[async_trait::async_trait]
impl MetricsService for Metrics {
    async fn dashboard(&self, query: &MetricsQuery) -> Result<Result<Dashboard, PeriodError>, ServiceError> {
        match Metrics::dashboard(self, query).await {
            Ok(dashboard) => Ok(Ok(dashboard)),
            Err(MetricsError::Period(refused)) => Ok(Err(refused)),
            Err(error) => Err(Incident::record("the dashboard", &error).into()),
        }
    }

    async fn disclosure(&self, year: Option<i32>) -> Result<Option<Disclosure>, ServiceError> {
        Metrics::disclosure(self, year).await.map_err(|e| Incident::record("the disclosure table", &e).into())
    }
}
