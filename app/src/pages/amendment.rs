use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::AmendmentFormView;
use crate::domain::form::AmendmentForm;
use crate::domain::{RequestKind, SiteInfo};

use super::form_state;

#[component]
pub fn AmendmentPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let state = form_state::<AmendmentForm>();
    view! {
        <Title text=RequestKind::Amendment.label()/>
        <div class="wrap narrow">
            <h1>{RequestKind::Amendment.label()}</h1>
            <p class="lead">
                "Tell us what is wrong or missing in the information we hold about you, and what it should say. "
                "We will reply in writing. If we cannot make the change, we will explain why and what you can do next."
            </p>
            <p>
                "You can also call us on "
                <a href=format!("tel:{}", site.privacy_phone)>{site.privacy_phone.clone()}</a>
                "."
            </p>
            <AmendmentFormView action="/amendment" state staff=false submit_label="Send my request">""</AmendmentFormView>
        </div>
    }
}
