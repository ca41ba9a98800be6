//! The portal's user interface and the contract shared by browser and server:
//! form types with their validation rules, domain rules, pages and server
//! functions. Nothing here knows of databases, SMTP or password hashing.

// Deeply nested views (a list of forms in a list) outgrow the default
// limit when the types of views are not erased, as in release builds.
#![recursion_limit = "256"]

pub mod components;
pub mod domain;
pub mod pages;
pub mod services;
pub mod shell;
pub mod text;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A panic's message in the console, for development: the release build
    // leaves it out, as its formatting would grow a customer's download.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
