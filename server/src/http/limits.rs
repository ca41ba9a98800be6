//! How often one client may make the portal send letters: every public form
//! post that can cause one is counted against its sender's address, in
//! memory, before its body is read. The letters themselves are also
//! counted per recipient, in the database (`mail::allowance`).

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::client::ClientAddress;
use super::{AppState, HttpError};

/// Public submissions per client address: a burst of the hourly number,
/// refilled evenly over the hour.
#[derive(Clone)]
pub struct SubmissionLimiter {
    per_address: Arc<DefaultKeyedRateLimiter<ClientAddress>>,
}

impl SubmissionLimiter {
    pub fn per_hour(submissions: NonZeroU32) -> Self {
        Self { per_address: Arc::new(RateLimiter::keyed(Quota::per_hour(submissions))) }
    }

    /// Counts one submission from `client`, or says how long until it may
    /// send another.
    fn admit(&self, client: &ClientAddress) -> Result<(), Duration> {
        self.per_address.check_key(client).map_err(|refused| refused.wait_time_from(self.per_address.clock().now()))
    }

    /// Drops the addresses whose allowance is full again, so that a flood
    /// from many addresses costs no memory once it is over.
    pub fn forget_idle(&self) {
        self.per_address.retain_recent();
        self.per_address.shrink_to_fit();
    }
}

/// Leave for one public submission from the sender's address; over the
/// limit the request is answered 429 without being read.
pub struct SubmissionSlot;

impl FromRequestParts<AppState> for SubmissionSlot {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let Ok(client) = ClientAddress::from_request_parts(parts, state).await;
        match state.submissions.admit(&client) {
            Ok(()) => Ok(Self),
            Err(wait) => {
                tracing::warn!(%client, "public submissions refused: too many from this address");
                Err(HttpError::limited(&state.site, wait))
            }
        }
    }
}
