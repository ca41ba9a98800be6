//! One module per page.

mod amendment;
mod complaint;
mod confirm;
mod home;
mod link_request;
mod not_found;
mod opt_out;
mod revoke;
pub mod staff;
mod tracking;
mod verify;

pub use amendment::AmendmentPage;
pub use complaint::ComplaintPage;
pub use confirm::ConfirmPage;
pub use home::HomePage;
pub use link_request::{LINK_AGAIN, LinkRequestPage};
pub use not_found::NotFound;
pub use opt_out::OptOutPage;
pub use revoke::RevokePage;
pub use tracking::TrackingPage;
pub use verify::VerifyPage;

use leptos::prelude::*;

use crate::domain::{FormState, RequestForm};

/// A form page's starting point: empty on a first visit, or what was typed
/// and what was wrong with it when the server sends the page back.
fn form_state<F: RequestForm>() -> FormState<F> {
    use_context::<FormState<F>>().unwrap_or_default()
}

/// Sets the HTTP status of the page being rendered on the server.
fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        options.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}
