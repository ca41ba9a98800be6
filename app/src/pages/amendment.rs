use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{ChoiceField, RequestFormView, TextArea, TextField, options_of};
use crate::domain::SiteInfo;
use crate::domain::forms::{AmendmentForm, limits};
use crate::domain::request::AmendmentCategory;

use super::form_state;

#[component]
pub fn AmendmentPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let state = form_state::<AmendmentForm>();
    view! {
        <Title text="Correct your information"/>
        <div class="wrap narrow">
            <h1>"Correct your information"</h1>
            <p class="lead">
                "Tell us what is wrong or missing in the information we hold about you, and what it should say. "
                "We will reply in writing. If we cannot make the change, we will explain why and what you can do next."
            </p>
            <p>
                "You can also call us on "
                <a href=format!("tel:{}", site.privacy_phone)>{site.privacy_phone.clone()}</a>
                "."
            </p>
            <RequestFormView action="/amendment" state submit_label="Send my request">
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
                <TextField name="account_number" label="Account, member or order number" width="w-medium"/>
                <TextField
                    name="date_of_birth"
                    label="Date of birth"
                    hint="Helps us find the right medical or insurance record."
                    input_type="date"
                    autocomplete="bday"
                    width="w-medium"
                />
                <h2 class="section-title">"What should change"</h2>
                <ChoiceField name="category" legend="Which information is it?" options={options_of::<AmendmentCategory>()}/>
                <TextArea
                    name="current_information"
                    label="What it says now"
                    hint="Copy it as it appears, or describe it."
                    required=true
                    max=limits::TEXT
                />
                <TextArea name="corrected_information" label="What it should say" required=true max=limits::TEXT/>
                <TextArea
                    name="reason"
                    label="Why it should change"
                    hint="For example: I moved house, my insurer changed, or a test result was recorded against the wrong visit."
                    required=true
                    max=limits::TEXT
                />
                <TextArea
                    name="supporting_details"
                    label="Anything else that supports your request"
                    hint="Dates, names of people you dealt with, or documents you can send us."
                    max=limits::LONG_TEXT
                />
            </RequestFormView>
        </div>
    }
}
