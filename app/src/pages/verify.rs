use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};

use super::LINK_AGAIN;
use crate::domain::{Language, SiteInfo};
use crate::shell::language;
use crate::text::{confirmations, link_request};

/// Where the link in a verification email lands. Opening the link changes
/// nothing (mail scanners open links too); the button confirms.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let lang = language();
    let query = use_query_map();
    let path = use_location().pathname;
    let result = move || query.read().get("result");
    view! {
        <Title text=confirmations::verify_title(lang)/>
        <div class="wrap narrow">
            {move || match result().as_deref() {
                Some("ok") => view! {
                    <div class="panel success" role="status">
                        <h1>{confirmations::verify_confirmed(lang)}</h1>
                        <p>{confirmations::verify_confirmed_body(lang)}</p>
                        <LostLink lang/>
                    </div>
                }.into_any(),
                Some("expired") => view! {
                    <h1>{confirmations::expired(lang)}</h1>
                    <p>{confirmations::verify_expired_body(lang, &site.privacy_phone)}</p>
                    <LostLink lang/>
                }.into_any(),
                Some(_) => view! {
                    <h1>{confirmations::unusable(lang)}</h1>
                    <p>{confirmations::verify_unusable_body(lang)}</p>
                    <LostLink lang/>
                }.into_any(),
                None => view! {
                    <h1>{confirmations::verify_title(lang)}</h1>
                    <p>{confirmations::verify_ask(lang)}</p>
                    <form method="post" action=path.get_untracked()>
                        <button type="submit" class="button">{confirmations::verify_button(lang)}</button>
                    </form>
                }.into_any(),
            }}
        </div>
    }
}

/// For a customer who no longer has the receipt with their private link.
#[component]
fn LostLink(lang: Language) -> impl IntoView {
    view! {
        <p>{confirmations::verify_lost_link(lang)} " " <A href=LINK_AGAIN>{link_request::title(lang)}</A></p>
    }
}
