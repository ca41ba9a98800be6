use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use crate::domain::SiteInfo;
use crate::shell::language;
use crate::text::confirmations;

/// Where the link in the email confirming a revocation lands. Opening the
/// link changes nothing (mail scanners open links too); the button revokes.
#[component]
pub fn RevokePage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let lang = language();
    let query = use_query_map();
    let path = use_location().pathname;
    let result = move || query.read().get("result");
    view! {
        <Title text=confirmations::revoke_title(lang)/>
        <div class="wrap narrow">
            {move || match result().as_deref() {
                Some("ok") => view! {
                    <div class="panel success" role="status">
                        <h1>{confirmations::revoke_revoked(lang)}</h1>
                        <p>{confirmations::revoke_revoked_body(lang)}</p>
                        <p><a href="/opt-out">{confirmations::revoke_opt_out_again(lang)}</a></p>
                    </div>
                }.into_any(),
                Some("expired") => view! {
                    <h1>{confirmations::expired(lang)}</h1>
                    <p>{confirmations::revoke_expired_body(lang, &site.opt_out_phone)}</p>
                }.into_any(),
                Some(_) => view! {
                    <h1>{confirmations::unusable(lang)}</h1>
                    <p>{confirmations::revoke_unusable_body(lang)}</p>
                }.into_any(),
                None => view! {
                    <h1>{confirmations::revoke_title(lang)}</h1>
                    <p>{confirmations::revoke_ask(lang)}</p>
                    <form method="post" action=path.get_untracked()>
                        <button type="submit" class="button">{confirmations::revoke_button(lang)}</button>
                    </form>
                }.into_any(),
            }}
        </div>
    }
}
