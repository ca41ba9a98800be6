use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::ComplaintFormView;
use crate::domain::form::ComplaintForm;
use crate::domain::{RequestKind, SiteInfo};
use crate::shell::language;
use crate::text::forms;

use super::form_state;

#[component]
pub fn ComplaintPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let state = form_state::<ComplaintForm>();
    let lang = language();
    view! {
        <Title text=RequestKind::Complaint.label_in(lang)/>
        <div class="wrap narrow">
            <h1>{RequestKind::Complaint.label_in(lang)}</h1>
            <p class="lead">{forms::complaint_lead(lang)}</p>
            <p>
                {forms::complaint_call(lang)} " "
                <a href=format!("tel:{}", site.privacy_phone)>{site.privacy_phone.clone()}</a>
                {forms::complaint_or_hhs(lang)}
            </p>
            <ComplaintFormView action="/complaint" state staff=false lang submit_label=forms::complaint_submit(lang)>""</ComplaintFormView>
        </div>
    }
}
