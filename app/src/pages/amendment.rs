use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::AmendmentFormView;
use crate::domain::form::AmendmentForm;
use crate::domain::{RequestKind, SiteInfo};
use crate::shell::language;
use crate::text::forms;

use super::form_state;

#[component]
pub fn AmendmentPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let state = form_state::<AmendmentForm>();
    let lang = language();
    view! {
        <Title text=RequestKind::Amendment.label_in(lang)/>
        <div class="wrap narrow">
            <h1>{RequestKind::Amendment.label_in(lang)}</h1>
            <p class="lead">{forms::amendment_lead(lang)}</p>
            <p>
                {forms::amendment_call(lang)} " "
                <a href=format!("tel:{}", site.privacy_phone)>{site.privacy_phone.clone()}</a>
                "."
            </p>
            <AmendmentFormView action="/amendment" state staff=false lang submit_label=forms::amendment_submit(lang)>""</AmendmentFormView>
        </div>
    }
}
