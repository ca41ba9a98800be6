//! The staff side's form handlers, one file per area. Each handler takes its
//! form through [`super::extract`], which has already asked the one
//! authorisation function and checked the form's anti-forgery token; it
//! makes its change and redirects back with `?done=…`, or re-renders the
//! page with what was typed and why, so nothing is lost.

mod associates;
mod cases;
mod documents;
mod intake;
mod letter_preview;
mod letters;
mod mail;
mod people;
mod register;
mod session;
pub(super) mod tokens;
mod views;
mod webhooks;

use super::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .merge(session::routes())
        .merge(cases::routes())
        .merge(documents::routes())
        .merge(intake::routes())
        .merge(people::routes())
        .merge(mail::routes())
        .merge(tokens::routes())
        .merge(webhooks::routes())
        .merge(register::routes())
        .merge(associates::routes())
        .merge(letters::routes())
        .merge(views::routes())
}
