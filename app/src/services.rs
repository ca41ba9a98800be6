//! Server functions, and the services the server puts into context for
//! them. A server function only checks who is asking and calls a service;
//! the server crate implements the service over its database.

use leptos::prelude::*;

use crate::domain::TrackingView;

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

/// The tracking page's data. Anyone holding the link may read it; the token
/// is the only credential.
#[server(endpoint = "track")]
pub async fn load_tracking(token: String) -> Result<Option<TrackingView>, ServerFnError> {
    let service = expect_context::<SharedCustomerService>();
    // Only the incident reference crosses to the browser; the details are in
    // the server's log under it.
    service.track(&token).await.map_err(|e| ServerFnError::new(e.reference))
}
