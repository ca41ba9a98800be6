use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::ComplaintFormView;
use crate::domain::form::ComplaintForm;
use crate::domain::{RequestKind, SiteInfo};

use super::form_state;

#[component]
pub fn ComplaintPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let state = form_state::<ComplaintForm>();
    view! {
        <Title text=RequestKind::Complaint.label()/>
        <div class="wrap narrow">
            <h1>{RequestKind::Complaint.label()}</h1>
            <p class="lead">
                "If you think we have not looked after your information properly, tell us. "
                "We record every complaint, look into it and tell you what we found. "
                "Making a complaint will never affect how we treat you."
            </p>
            <p>
                "You can also call our privacy office on "
                <a href=format!("tel:{}", site.privacy_phone)>{site.privacy_phone.clone()}</a>
                ", or complain to the US Department of Health and Human Services."
            </p>
            <ComplaintFormView action="/complaint" state staff=false submit_label="Send my complaint">""</ComplaintFormView>
        </div>
    }
}
