//! Where the link in an email confirming an action taken through an old
//! tracking link lands. Opening the link changes nothing (mail scanners
//! open links too); the button acts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use crate::domain::SiteInfo;
use crate::pages::LINK_AGAIN;

#[component]
pub fn ConfirmPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let query = use_query_map();
    let path = use_location().pathname;
    let result = move || query.read().get("result");
    view! {
        <Title text="Confirm your action"/>
        <div class="wrap narrow">
            {move || match result().as_deref() {
                Some("ok") => view! {
                    <div class="panel success" role="status" id="confirmed">
                        <h1>"Done"</h1>
                        <p>"Thank you for confirming. Your request's page shows what changed."</p>
                        <p><a href=LINK_AGAIN>"Send me a fresh private link"</a></p>
                    </div>
                }.into_any(),
                Some("expired") => view! {
                    <h1>"This link has expired"</h1>
                    <p>
                        "Nothing was changed. Please try again from your request's page, or call us on "
                        {site.privacy_phone.clone()} "."
                    </p>
                }.into_any(),
                Some("refused") => view! {
                    <h1>"This could not be done"</h1>
                    <p>"Your request changed since you asked (it may be finished). Its page shows where it stands."</p>
                }.into_any(),
                Some(_) => view! {
                    <h1>"This link cannot be used"</h1>
                    <p>"It may have been used already, or a newer email replaced it."</p>
                }.into_any(),
                None => view! {
                    <h1>"Confirm your action"</h1>
                    <p>"Confirm that it was you who asked, from your request's page, for what our email describes."</p>
                    <form method="post" action=path.get_untracked()>
                        <button type="submit" class="button">"Confirm"</button>
                    </form>
                }.into_any(),
            }}
        </div>
    }
}
