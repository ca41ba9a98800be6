//! The fields of each kind of request, shared by the customer's form and the
//! form staff fill in for a request received by phone or mail, so that the
//! two never ask different questions.

use leptos::prelude::*;

use crate::domain::AgentRelationship;
use crate::domain::form::{NOTIFY_ROWS, limits};
use crate::domain::request::{AmendmentCategory, ComplaintCategory, JointAccount, OptOutScope};

use super::{ChoiceField, TextArea, TextField, options_of};

/// Section headings speak to whoever fills the form in: the customer, or a
/// staff member typing in what the customer said.
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

#[component]
pub fn OptOutFields(#[prop(optional)] staff: bool) -> impl IntoView {
    view! {
        <h2 class="section-title">{heading(staff, "Your details", "The customer's details")}</h2>
        <TextField name="full_name" label="Full name" required=true autocomplete=autofill(staff, "name")/>
        <TextField
            name="email"
            label="Email address"
            hint=heading(staff, "We send your confirmation here.", EMAIL_HINT_FOR_STAFF)
            required=!staff
            input_type="email"
            autocomplete=autofill(staff, "email")
            did_you_mean=true
        />
        <TextField name="phone" label="Phone number" input_type="tel" autocomplete=autofill(staff, "tel") width="w-medium"/>
        <TextField
            name="postal_address"
            label="Postal address"
            hint="The address on your account, so we can find your records."
            required=true
            autocomplete=autofill(staff, "street-address")
        />
        <TextField
            name="account_number"
            label="Account or order number"
            hint="Helps us find your records faster."
            width="w-medium"
        />
        <h2 class="section-title">{heading(staff, "Your choice", "The customer's choice")}</h2>
        <ChoiceField name="scope" legend="What should the opt-out cover?" options={options_of::<OptOutScope>()}/>
        <ChoiceField
            name="joint_account"
            legend="Is this a joint account?"
            hint="On a joint account you may opt out for yourself or for every holder. The other holders do not need to do anything."
            options={options_of::<JointAccount>()}
        />
        <TextArea
            name="other_holders"
            label="The other holders' names"
            hint="On a joint account, one name a line, up to nine. For all holders, the opt-out covers each of them; only for you, it covers you alone."
            max=limits::TEXT
        />
        <AgentFields staff/>
    }
}

#[component]
pub fn AmendmentFields(#[prop(optional)] staff: bool) -> impl IntoView {
    view! {
        <h2 class="section-title">{heading(staff, "Your details", "The customer's details")}</h2>
        <TextField name="full_name" label="Full name" required=true autocomplete=autofill(staff, "name")/>
        <TextField
            name="email"
            label="Email address"
            hint=heading(staff, "We send your confirmation and our answer here.", EMAIL_HINT_FOR_STAFF)
            required=!staff
            input_type="email"
            autocomplete=autofill(staff, "email")
            did_you_mean=true
        />
        <TextField name="phone" label="Phone number" input_type="tel" autocomplete=autofill(staff, "tel") width="w-medium"/>
        {staff.then(|| view! {
            <TextField
                name="postal_address"
                label="Postal address"
                hint="Needed when the customer is answered by post."
                autocomplete="off"
            />
        })}
        <TextField name="account_number" label="Account, member or order number" width="w-medium"/>
        <TextField
            name="date_of_birth"
            label="Date of birth"
            hint="Helps us find the right medical or insurance record."
            input_type="date"
            autocomplete=autofill(staff, "bday")
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
        <h2 class="section-title">{heading(staff, "Who should be told", "Whom the customer wants told")}</h2>
        <p class="hint" id="notify-hint">
            "If we accept the amendment, we will tell the people you name here that your information changed, "
            "for example a doctor or an insurer you gave the old information to. Leave the rows empty if there is nobody."
        </p>
        {NOTIFY_ROWS
            .iter()
            .enumerate()
            .map(|(row, (name, email))| {
                let number = row + 1;
                view! {
                    <div class="field-row" role="group" aria-label=format!("Person {number} to tell")>
                        <TextField name=*name label=PERSON_LABELS[row].0 autocomplete="off"/>
                        <TextField name=*email label=PERSON_LABELS[row].1 input_type="email" autocomplete="off"/>
                    </div>
                }
            })
            .collect_view()}
        <AgentFields staff/>
    }
}

/// The labels of each row of persons to tell: static, as field labels are.
const PERSON_LABELS: [(&str, &str); 3] = [
    ("Person 1: name", "Person 1: email address"),
    ("Person 2: name", "Person 2: email address"),
    ("Person 3: name", "Person 3: email address"),
];

#[component]
pub fn ComplaintFields(#[prop(optional)] staff: bool) -> impl IntoView {
    view! {
        <h2 class="section-title">{heading(staff, "Your details", "The customer's details")}</h2>
        <TextField name="full_name" label="Full name" required=true autocomplete=autofill(staff, "name")/>
        <TextField
            name="email"
            label="Email address"
            hint=heading(staff, "We send your confirmation and our answer here.", EMAIL_HINT_FOR_STAFF)
            required=!staff
            input_type="email"
            autocomplete=autofill(staff, "email")
            did_you_mean=true
        />
        <TextField name="phone" label="Phone number" input_type="tel" autocomplete=autofill(staff, "tel") width="w-medium"/>
        {staff.then(|| view! {
            <TextField
                name="postal_address"
                label="Postal address"
                hint="Needed when the customer is answered by post."
                autocomplete="off"
            />
        })}
        <h2 class="section-title">{heading(staff, "Your complaint", "The complaint")}</h2>
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
        <AgentFields staff/>
    }
}

/// Someone asking for another person (a parent, a guardian, an attorney)
/// says so here and gives their own details; the details above are the
/// customer's. Asking for oneself is the first choice, chosen at first, so
/// nothing here needs touching then.
#[component]
pub fn AgentFields(#[prop(optional)] staff: bool) -> impl IntoView {
    let mut options = vec![("", heading(staff, "No, I am asking for myself", "No, the customer asked themselves"))];
    options.extend(options_of::<AgentRelationship>());
    view! {
        <h2 class="section-title">{heading(staff, "Asking for someone else?", "Asked by an agent?")}</h2>
        <ChoiceField
            name="agent_relationship"
            legend=heading(staff, "Are you acting for the person named above?", "Did someone act for the customer?")
            hint=heading(
                staff,
                "A parent, guardian, attorney or other authorised agent may ask for someone. We send you a copy of each letter and ask you for your signed permission.",
                "The agent is sent a copy of each letter and a link to send the signed permission.",
            )
            options
        />
        <TextField
            name="agent_name"
            label=heading(staff, "Your name, if you are their agent", "The agent's name")
            autocomplete="off"
        />
        <TextField
            name="agent_email"
            label=heading(staff, "Your email, if you are their agent", "The agent's email")
            input_type="email"
            autocomplete="off"
        />
    }
}
