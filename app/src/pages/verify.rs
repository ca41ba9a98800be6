use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};

use super::LINK_AGAIN;
use crate::domain::SiteInfo;

/// Where the link in a verification email lands. Opening the link changes
/// nothing (mail scanners open links too); the button confirms.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let query = use_query_map();
    let path = use_location().pathname;
    let result = move || query.read().get("result");
    view! {
        <Title text="Confirm your email address"/>
        <div class="wrap narrow">
            {move || match result().as_deref() {
                Some("ok") => view! {
                    <div class="panel success" role="status">
                        <h1>"Thank you: your email address is confirmed"</h1>
                        <p>
                            "We have started work on your request. Follow it with the private link in the receipt "
                            "we emailed you when you sent it."
                        </p>
                        <LostLink/>
                    </div>
                }.into_any(),
                Some("expired") => view! {
                    <h1>"This link has expired"</h1>
                    <p>
                        "Open the private link in the receipt we emailed you and ask there for a new confirmation "
                        "email, or call us on " {site.privacy_phone.clone()} "."
                    </p>
                    <LostLink/>
                }.into_any(),
                Some(_) => view! {
                    <h1>"This link cannot be used"</h1>
                    <p>
                        "It may have been used already, or a newer confirmation email replaced it. "
                        "Open the private link in the receipt we emailed you to see where your request stands."
                    </p>
                    <LostLink/>
                }.into_any(),
                None => view! {
                    <h1>"Confirm your email address"</h1>
                    <p>"Confirm that this email address is yours, so we can work on your request and send you our answer."</p>
                    <form method="post" action=path.get_untracked()>
                        <button type="submit" class="button">"Confirm my email address"</button>
                    </form>
                }.into_any(),
            }}
        </div>
    }
}

/// For a customer who no longer has the receipt with their private link.
#[component]
fn LostLink() -> impl IntoView {
    view! {
        <p>"No longer have that email? " <A href=LINK_AGAIN>"Send me my link again"</A></p>
    }
}
