use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use crate::domain::SiteInfo;

/// Where the link in the email confirming a revocation lands. Opening the
/// link changes nothing (mail scanners open links too); the button revokes.
#[component]
pub fn RevokePage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let query = use_query_map();
    let path = use_location().pathname;
    let result = move || query.read().get("result");
    view! {
        <Title text="Revoke your opt-out"/>
        <div class="wrap narrow">
            {move || match result().as_deref() {
                Some("ok") => view! {
                    <div class="panel success" role="status">
                        <h1>"Your opt-out is revoked"</h1>
                        <p>
                            "From today we may again share information about you as our privacy notice describes. "
                            "You can opt out again at any time."
                        </p>
                        <p><a href="/opt-out">"Opt out again"</a></p>
                    </div>
                }.into_any(),
                Some("expired") => view! {
                    <h1>"This link has expired"</h1>
                    <p>
                        "Your opt-out still stands. To revoke it, ask again from the private link in the receipt "
                        "we emailed you, or call us on " {site.opt_out_phone.clone()} "."
                    </p>
                }.into_any(),
                Some(_) => view! {
                    <h1>"This link cannot be used"</h1>
                    <p>
                        "It may have been used already, or a newer email replaced it. Open the private link in "
                        "the receipt we emailed you to see where your opt-out stands."
                    </p>
                }.into_any(),
                None => view! {
                    <h1>"Revoke your opt-out"</h1>
                    <p>
                        "Confirm that you want your opt-out revoked. Once it is, we may again share information "
                        "about you as our privacy notice describes."
                    </p>
                    <form method="post" action=path.get_untracked()>
                        <button type="submit" class="button">"Revoke my opt-out"</button>
                    </form>
                }.into_any(),
            }}
        </div>
    }
}
