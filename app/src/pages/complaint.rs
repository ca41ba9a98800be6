use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{ChoiceField, RequestFormView, TextArea, TextField, options_of};
use crate::domain::SiteInfo;
use crate::domain::forms::{ComplaintForm, limits};
use crate::domain::request::ComplaintCategory;

use super::form_state;

#[component]
pub fn ComplaintPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let state = form_state::<ComplaintForm>();
    view! {
        <Title text="Make a privacy complaint"/>
        <div class="wrap narrow">
            <h1>"Make a privacy complaint"</h1>
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
            <RequestFormView action="/complaint" state submit_label="Send my complaint">
                <h2 class="section-title">"Your details"</h2>
                <TextField name="full_name" label="Full name" required=true autocomplete="name"/>
                <TextField
                    name="email"
                    label="Email address"
                    hint="We send your confirmation and our answer here."
                    required=true
                    input_type="email"
                    autocomplete="email"
                />
                <TextField name="phone" label="Phone number" input_type="tel" autocomplete="tel" width="w-medium"/>
                <h2 class="section-title">"Your complaint"</h2>
                <ChoiceField name="category" legend="What is it about?" options={options_of::<ComplaintCategory>()}/>
                <TextField
                    name="occurred_on"
                    label="When did it happen?"
                    hint="An approximate date is fine."
                    required=true
                    input_type="date"
                    width="w-medium"
                />
                <TextArea
                    name="description"
                    label="What happened"
                    hint="Tell us in your own words. Include anything that will help us look into it."
                    required=true
                    max=limits::LONG_TEXT
                />
            </RequestFormView>
        </div>
    }
}
