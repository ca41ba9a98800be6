use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{FormAlert, InputField, SelectField, StaffForm};
use crate::domain::Role;
use crate::domain::access::Viewer;
use crate::domain::accounts::{AccountKind, StaffMember};
use crate::domain::staff_forms::{FormName, StaffFeedback};
use crate::services::load_people;

use super::frame::viewer;
use super::{Done, refusal_for, staff_feedback, staff_view, typed};

fn roles() -> Vec<(String, String)> {
    Role::ALL.iter().map(|role| (role.as_str().to_owned(), role.label().to_owned())).collect()
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let viewer = viewer();
    let feedback = staff_feedback();
    let data = Resource::new(|| (), |_| load_people());
    view! {
        <Title text="People"/>
        <div class="wrap wide">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || {
                    let feedback = feedback.clone();
                    Suspend::new(async move {
                        staff_view(viewer.await, data.await, |viewer, people| {
                            view! { <People viewer people feedback/> }.into_any()
                        })
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn People(viewer: Viewer, people: Vec<StaffMember>, feedback: StaffFeedback) -> impl IntoView {
    let rows = people
        .into_iter()
        .map(|person| view! { <Person is_viewer=person.id == viewer.id person csrf=viewer.csrf.clone()/> })
        .collect_view();
    view! {
        <h1>"People"</h1>
        <p class="lead">"Everyone who may sign in to the staff side, and what their role lets them do."</p>
        <Done/>
        {refusal_for(&feedback, FormName::Role)
            .or_else(|| refusal_for(&feedback, FormName::Disable))
            .map(|message| view! { <FormAlert message lead="Not saved."/> })}
        <div class="table-scroll" role="region" aria-label="Staff accounts" tabindex="0">
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Account"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Invite csrf=viewer.csrf feedback/>
    }
}

#[component]
fn Person(person: StaffMember, is_viewer: bool, csrf: String) -> impl IntoView {
    let id = person.id;
    let role_id = format!("role-{id}");
    let (verb, form, label) =
        if person.active { ("disable", FormName::Disable, "Disable") } else { ("enable", FormName::Enable, "Enable") };
    let options = Role::ALL
        .iter()
        .map(|role| view! { <option value=role.as_str() selected=*role == person.role>{role.label()}</option> })
        .collect_view();
    let state = match (person.active, person.kind, is_viewer) {
        (false, ..) => "Disabled",
        (true, AccountKind::Invited, _) => "Invited",
        (true, AccountKind::Service, _) => "API account",
        (true, AccountKind::Person, true) => "Active (you)",
        (true, AccountKind::Person, false) => "Active",
    };
    // Every row has the same controls, so each says whose they are.
    let (role_label, change_label, state_label) =
        (format!("Role for {}", person.name), format!(" role for {}", person.name), format!(" {}", person.name));
    view! {
        <tr class:inactive=!person.active>
            <th scope="row">{person.name}</th>
            <td>{person.email}</td>
            <td>
                <StaffForm action=format!("/staff/people/{id}/role") name=FormName::Role.as_str() csrf=csrf.clone() class="inline-form">
                    <label class="visually-hidden" for=role_id.clone()>{role_label}</label>
                    <select id=role_id name="role">{options}</select>
                    <button type="submit" class="button secondary small">
                        "Change" <span class="visually-hidden">{change_label}</span>
                    </button>
                </StaffForm>
            </td>
            <td>
                <StaffForm action=format!("/staff/people/{id}/{verb}") name=form.as_str() csrf class="inline-form">
                    <span class="account-state">{state}</span>
                    <button type="submit" class="button secondary small">
                        {label} <span class="visually-hidden">{state_label}</span>
                    </button>
                </StaffForm>
            </td>
        </tr>
    }
}

#[component]
fn Invite(csrf: String, feedback: StaffFeedback) -> impl IntoView {
    view! {
        <section class="action-card invite" aria-labelledby="invite-title">
            <h2 id="invite-title">"Invite a colleague"</h2>
            <p class="hint">"They receive an email with a link to set their password."</p>
            <StaffForm action="/staff/people" name=FormName::Invite.as_str() csrf refusal=refusal_for(&feedback, FormName::Invite)>
                <InputField
                    id="invite-name"
                    name="name"
                    label="Name"
                    autocomplete="off"
                    required=true
                    value=typed(&feedback, FormName::Invite, "name", "")
                />
                <InputField
                    id="invite-email"
                    name="email"
                    label="Email address"
                    input_type="email"
                    autocomplete="off"
                    required=true
                    value=typed(&feedback, FormName::Invite, "email", "")
                />
                <SelectField
                    id="invite-role"
                    name="role"
                    label="Role"
                    options=roles()
                    selected=typed(&feedback, FormName::Invite, "role", Role::Agent.as_str())
                />
                <button type="submit" class="button">"Send invitation"</button>
            </StaffForm>
        </section>
    }
}
