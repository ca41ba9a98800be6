//! Where the link in an email confirming an action taken through an old
//! tracking link lands. Opening the link changes nothing (mail scanners
//! open links too); the button acts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use crate::domain::SiteInfo;
use crate::pages::LINK_AGAIN;
use crate::shell::language;
use crate::text::confirmations;

#[component]
pub fn ConfirmPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let lang = language();
    let query = use_query_map();
    let path = use_location().pathname;
    let result = move || query.read().get("result");
    view! {
        <Title text=confirmations::confirm_title(lang)/>
        <div class="wrap narrow">
            {move || match result().as_deref() {
                Some("ok") => view! {
                    <div class="panel success" role="status" id="confirmed">
                        <h1>{confirmations::confirm_done(lang)}</h1>
                        <p>{confirmations::confirm_done_body(lang)}</p>
                        <p><a href=LINK_AGAIN>{confirmations::confirm_fresh_link(lang)}</a></p>
                    </div>
                }.into_any(),
                Some("expired") => view! {
                    <h1>{confirmations::expired(lang)}</h1>
                    <p>{confirmations::confirm_expired_body(lang, &site.privacy_phone)}</p>
                }.into_any(),
                Some("refused") => view! {
                    <h1>{confirmations::confirm_refused(lang)}</h1>
                    <p>{confirmations::confirm_refused_body(lang)}</p>
                }.into_any(),
                Some(_) => view! {
                    <h1>{confirmations::unusable(lang)}</h1>
                    <p>{confirmations::confirm_unusable_body(lang)}</p>
                }.into_any(),
                None => view! {
                    <h1>{confirmations::confirm_title(lang)}</h1>
                    <p>{confirmations::confirm_ask(lang)}</p>
                    <form method="post" action=path.get_untracked()>
                        <button type="submit" class="button">{confirmations::confirm_button(lang)}</button>
                    </form>
                }.into_any(),
            }}
        </div>
    }
}
