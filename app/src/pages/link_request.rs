//! "Send me my link again", for a customer who no longer has the letter
//! with their private link. The answer is the same whether or not the
//! reference and the address belong together, so the form tells nobody
//! which requests exist.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::{FormAlert, InputField};
use crate::domain::form::LinkRequestForm;
use crate::domain::{FormState, SiteInfo};
use crate::shell::language;
use crate::text::link_request;

/// Where the form is, and where every mention of the private link points.
pub const LINK_AGAIN: &str = "/my-link";

#[component]
pub fn LinkRequestPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let lang = language();
    let state = use_context::<FormState<LinkRequestForm>>().unwrap_or_default();
    let sent = use_query_map().with_untracked(|query| query.get("sent").is_some());
    let error = |field: &str| state.errors.get(field).map(str::to_owned);
    view! {
        <Title text=link_request::title(lang)/>
        <div class="wrap narrow">
            <h1>{link_request::title(lang)}</h1>
            {sent.then(|| view! {
                <div class="panel success" role="status">
                    <p>{link_request::sent(lang)}</p>
                </div>
            })}
            <p class="lead">{link_request::lead(lang)}</p>
            {(!state.errors.is_empty()).then(|| view! { <FormAlert message=link_request::check_fields(lang).to_owned()/> })}
            <form method="post" action=LINK_AGAIN novalidate>
                <InputField
                    id="f-reference"
                    name="reference"
                    label=link_request::reference(lang)
                    hint=link_request::reference_hint(lang)
                    value=state.values.reference.clone()
                    width="w-medium"
                    required=true
                    error=error("reference")
                />
                <InputField
                    id="f-email"
                    name="email"
                    label=link_request::email(lang)
                    input_type="email"
                    autocomplete="email"
                    value=state.values.email.clone()
                    required=true
                    error=error("email")
                />
                <div class="actions">
                    <button type="submit" class="button">{link_request::send(lang)}</button>
                </div>
            </form>
            <p>
                {link_request::call_before(lang)} " "
                <a href=format!("tel:{}", site.privacy_phone)>{site.privacy_phone.clone()}</a>
                {link_request::call_after(lang)}
            </p>
        </div>
    }
}
