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

/// Where the form is, and where every mention of the private link points.
pub const LINK_AGAIN: &str = "/my-link";

#[component]
pub fn LinkRequestPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let state = use_context::<FormState<LinkRequestForm>>().unwrap_or_default();
    let sent = use_query_map().with_untracked(|query| query.get("sent").is_some());
    let problems =
        state.errors.iter().map(|(_, message)| view! { <FormAlert message=message.to_owned()/> }).collect_view();
    view! {
        <Title text="Send me my link again"/>
        <div class="wrap narrow">
            <h1>"Send me my link again"</h1>
            {sent.then(|| view! {
                <div class="panel success" role="status">
                    <p>
                        "If that reference and email address belong to the same request, we have sent its private "
                        "link to that address. It can take a few minutes to arrive; please check your spam folder too."
                    </p>
                </div>
            })}
            <p class="lead">
                "Your private link shows where your request stands. If you no longer have the email it came in, "
                "give us your reference and the email address you used, and we will send the link to that address."
            </p>
            {problems}
            <form method="post" action=LINK_AGAIN novalidate>
                <InputField
                    id="f-reference"
                    name="reference"
                    label="Reference"
                    hint="It is in the subject of every email about your request, like PR-ABCD-EFGH."
                    value=state.values.reference.clone()
                    width="w-medium"
                    required=true
                />
                <InputField
                    id="f-email"
                    name="email"
                    label="Email address"
                    input_type="email"
                    autocomplete="email"
                    value=state.values.email.clone()
                    required=true
                />
                <div class="actions">
                    <button type="submit" class="button">"Send me my link"</button>
                </div>
            </form>
            <p>
                "No longer have that email address? Call us on "
                <a href=format!("tel:{}", site.privacy_phone)>{site.privacy_phone.clone()}</a>
                " with your reference."
            </p>
        </div>
    }
}
