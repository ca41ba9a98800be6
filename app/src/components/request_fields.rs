//! The fields of each kind of request, shared by the customer's form and the
//! form staff fill in for a request received by phone or mail, so that the
//! two never ask different questions.

use leptos::prelude::*;

use crate::domain::AgentRelationship;
use crate::domain::form::{NOTIFY_ROWS, limits};
use crate::domain::request::{AmendmentCategory, ComplaintCategory, JointAccount, OptOutScope};
use crate::text::forms;

use super::request_form::FormContext;
use super::{ChoiceField, TextArea, TextField, options_of};

/// Section headings speak to whoever fills the form in: the customer, in
/// their language, or a staff member typing in what the customer said, in
/// English as every staff page.
fn heading(staff: bool, customer: &'static str, for_staff: &'static str) -> &'static str {
    if staff { for_staff } else { customer }
}

/// A staff member's browser would offer their own name and address, so it
/// is told not to fill in the customer's details.
fn autofill(staff: bool, token: &'static str) -> &'static str {
    if staff { "off" } else { token }
}

/// Staff may leave the email address blank for a customer answered by post.
const EMAIL_HINT_FOR_STAFF: &str =
    "Leave blank if the customer gave none and is answered by post (choose “By post” above).";

/// The language of the form being drawn.
fn form_language() -> crate::domain::Language {
    expect_context::<FormContext>().lang
}

#[component]
pub fn OptOutFields(#[prop(optional)] staff: bool) -> impl IntoView {
    let lang = form_language();
    view! {
        <h2 class="section-title">{heading(staff, forms::your_details(lang), "The customer's details")}</h2>
        <TextField name="full_name" label=forms::full_name(lang) required=true autocomplete=autofill(staff, "name")/>
        <TextField
            name="email"
            label=forms::email(lang)
            hint=heading(staff, forms::email_hint_confirmation(lang), EMAIL_HINT_FOR_STAFF)
            required=!staff
            input_type="email"
            autocomplete=autofill(staff, "email")
            did_you_mean=true
        />
        <TextField name="phone" label=forms::phone(lang) input_type="tel" autocomplete=autofill(staff, "tel") width="w-medium"/>
        <TextField
            name="postal_address"
            label=forms::postal_address(lang)
            hint=forms::postal_address_hint(lang)
            required=true
            autocomplete=autofill(staff, "street-address")
        />
        <TextField
            name="account_number"
            label=forms::account_number(lang)
            hint=forms::account_number_hint(lang)
            width="w-medium"
        />
        <h2 class="section-title">{heading(staff, forms::opt_out_title_choice(lang), "The customer's choice")}</h2>
        <ChoiceField name="scope" legend=forms::opt_out_scope(lang) options={options_of::<OptOutScope>(lang)}/>
        <ChoiceField
            name="joint_account"
            legend=forms::opt_out_joint_account(lang)
            hint=forms::opt_out_joint_account_hint(lang)
            options={options_of::<JointAccount>(lang)}
        />
        <TextArea
            name="other_holders"
            label=forms::opt_out_other_holders(lang)
            hint=forms::opt_out_other_holders_hint(lang)
            max=limits::TEXT
        />
        <AgentFields staff/>
    }
}

#[component]
pub fn AmendmentFields(#[prop(optional)] staff: bool) -> impl IntoView {
    let lang = form_language();
    view! {
        <h2 class="section-title">{heading(staff, forms::your_details(lang), "The customer's details")}</h2>
        <TextField name="full_name" label=forms::full_name(lang) required=true autocomplete=autofill(staff, "name")/>
        <TextField
            name="email"
            label=forms::email(lang)
            hint=heading(staff, forms::email_hint_answer(lang), EMAIL_HINT_FOR_STAFF)
            required=!staff
            input_type="email"
            autocomplete=autofill(staff, "email")
            did_you_mean=true
        />
        <TextField name="phone" label=forms::phone(lang) input_type="tel" autocomplete=autofill(staff, "tel") width="w-medium"/>
        {staff.then(|| view! {
            <TextField
                name="postal_address"
                label="Postal address"
                hint="Needed when the customer is answered by post."
                autocomplete="off"
            />
        })}
        <TextField name="account_number" label=forms::member_number(lang) width="w-medium"/>
        <TextField
            name="date_of_birth"
            label=forms::date_of_birth(lang)
            hint=forms::date_of_birth_hint(lang)
            input_type="date"
            autocomplete=autofill(staff, "bday")
            width="w-medium"
        />
        <h2 class="section-title">{forms::amendment_what_should_change(lang)}</h2>
        <ChoiceField name="category" legend=forms::amendment_category(lang) options={options_of::<AmendmentCategory>(lang)}/>
        <TextArea
            name="current_information"
            label=forms::amendment_current_information(lang)
            hint=forms::amendment_current_information_hint(lang)
            required=true
            max=limits::TEXT
        />
        <TextArea name="corrected_information" label=forms::amendment_corrected_information(lang) required=true max=limits::TEXT/>
        <TextArea
            name="reason"
            label=forms::amendment_reason(lang)
            hint=forms::amendment_reason_hint(lang)
            required=true
            max=limits::TEXT
        />
        <TextArea
            name="supporting_details"
            label=forms::amendment_supporting_details(lang)
            hint=forms::amendment_supporting_details_hint(lang)
            max=limits::LONG_TEXT
        />
        <h2 class="section-title">{heading(staff, forms::amendment_who_to_tell(lang), "Whom the customer wants told")}</h2>
        <p class="hint" id="notify-hint">{forms::amendment_who_to_tell_hint(lang)}</p>
        {NOTIFY_ROWS
            .iter()
            .zip(person_labels(lang))
            .enumerate()
            .map(|(row, ((name, email), (name_label, email_label)))| {
                let number = (row + 1).to_string();
                view! {
                    <div class="field-row" role="group" aria-label=forms::amendment_person(lang, &number)>
                        <TextField name=*name label=name_label autocomplete="off"/>
                        <TextField name=*email label=email_label input_type="email" autocomplete="off"/>
                    </div>
                }
            })
            .collect_view()}
        <AgentFields staff/>
    }
}

/// The labels of each row of persons to tell: static, as field labels are.
fn person_labels(lang: crate::domain::Language) -> [(&'static str, &'static str); 3] {
    [
        (forms::amendment_person_1_name(lang), forms::amendment_person_1_email(lang)),
        (forms::amendment_person_2_name(lang), forms::amendment_person_2_email(lang)),
        (forms::amendment_person_3_name(lang), forms::amendment_person_3_email(lang)),
    ]
}

#[component]
pub fn ComplaintFields(#[prop(optional)] staff: bool) -> impl IntoView {
    let lang = form_language();
    view! {
        <h2 class="section-title">{heading(staff, forms::your_details(lang), "The customer's details")}</h2>
        <TextField name="full_name" label=forms::full_name(lang) required=true autocomplete=autofill(staff, "name")/>
        <TextField
            name="email"
            label=forms::email(lang)
            hint=heading(staff, forms::email_hint_answer(lang), EMAIL_HINT_FOR_STAFF)
            required=!staff
            input_type="email"
            autocomplete=autofill(staff, "email")
            did_you_mean=true
        />
        <TextField name="phone" label=forms::phone(lang) input_type="tel" autocomplete=autofill(staff, "tel") width="w-medium"/>
        {staff.then(|| view! {
            <TextField
                name="postal_address"
                label="Postal address"
                hint="Needed when the customer is answered by post."
                autocomplete="off"
            />
        })}
        <h2 class="section-title">{heading(staff, forms::complaint_your_complaint(lang), "The complaint")}</h2>
        <ChoiceField name="category" legend=forms::complaint_category(lang) options={options_of::<ComplaintCategory>(lang)}/>
        <TextField
            name="occurred_on"
            label=forms::complaint_occurred_on(lang)
            hint=forms::complaint_occurred_on_hint(lang)
            required=true
            input_type="date"
            width="w-medium"
        />
        <TextArea
            name="description"
            label=forms::complaint_description(lang)
            hint=forms::complaint_description_hint(lang)
            required=true
            max=limits::LONG_TEXT
        />
        <AgentFields staff/>
    }
}

/// Someone asking for another person (a parent, a guardian, an attorney)
/// says so here and gives their own details; the details above are the
/// customer's. Asking for oneself is the first choice, chosen at first, so
/// nothing here needs touching then.
#[component]
pub fn AgentFields(#[prop(optional)] staff: bool) -> impl IntoView {
    let lang = form_language();
    let mut options = vec![("", heading(staff, forms::agent_myself(lang), "No, the customer asked themselves"))];
    options.extend(options_of::<AgentRelationship>(lang));
    view! {
        <h2 class="section-title">{heading(staff, forms::agent_heading(lang), "Asked by an agent?")}</h2>
        <ChoiceField
            name="agent_relationship"
            legend=heading(staff, forms::agent_acting(lang), "Did someone act for the customer?")
            hint=heading(
                staff,
                forms::agent_acting_hint(lang),
                "The agent is sent a copy of each letter and a link to send the signed permission.",
            )
            options
        />
        <TextField
            name="agent_name"
            label=heading(staff, forms::agent_name(lang), "The agent's name")
            autocomplete="off"
        />
        <TextField
            name="agent_email"
            label=heading(staff, forms::agent_email(lang), "The agent's email")
            input_type="email"
            autocomplete="off"
        />
    }
}
