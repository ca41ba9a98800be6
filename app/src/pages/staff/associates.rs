//! Business associates: the companies administrators know to hold the
//! customers' information and rely on it, told of every accepted amendment
//! that staff choose to tell them of (45 CFR 164.526(c)(3)(ii)).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{InputField, StaffForm, TextAreaField};
use crate::domain::access::Viewer;
use crate::domain::notices::BusinessAssociate;
use crate::domain::staff_forms::{FormName, StaffFeedback};
use crate::services::load_associates;

use super::frame::viewer;
use super::{Done, refusal_for, staff_feedback, staff_view, typed};

pub const PAGE: &str = "/staff/associates";

#[component]
pub fn AssociatesPage() -> impl IntoView {
    let viewer = viewer();
    let feedback = staff_feedback();
    let data = Resource::new(|| (), |_| load_associates());
    view! {
        <Title text="Business associates"/>
        <div class="wrap wide">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || {
                    let feedback = feedback.clone();
                    Suspend::new(async move {
                        staff_view(viewer.await, data.await, |viewer, associates| {
                            view! { <Associates viewer associates feedback/> }.into_any()
                        })
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Associates(viewer: Viewer, associates: Vec<BusinessAssociate>, feedback: StaffFeedback) -> impl IntoView {
    let csrf = viewer.csrf.clone();
    let list = if associates.is_empty() {
        view! { <p class="empty">"No business associates are listed. Add one below."</p> }.into_any()
    } else {
        let rows = associates
            .into_iter()
            .map(|associate| {
                let label = format!(" {}", associate.name);
                view! {
                    <tr>
                        <th scope="row">{associate.name}</th>
                        <td class="wrap-anywhere">{associate.email}</td>
                        <td>{associate.relies_on}</td>
                        <td>
                            <StaffForm
                                action=format!("{PAGE}/{}/remove", associate.id)
                                name=FormName::Associate.as_str()
                                csrf=csrf.clone()
                                class="inline-form"
                            >
                                <button type="submit" class="button secondary small">
                                    "Remove" <span class="visually-hidden">{label}</span>
                                </button>
                            </StaffForm>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" role="region" aria-label="Business associates" tabindex="0">
                <table class="data" id="associates">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Notices go to"</th>
                            <th scope="col">"Relies on"</th>
                            <th scope="col"><span class="visually-hidden">"Action"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <h1>"Business associates"</h1>
        <p class="lead">
            "When an amendment is accepted, the business associates that hold the information and rely on it are told "
            "of the change. Those listed here are offered, already ticked, on every accepted amendment."
        </p>
        <Done/>
        {list}
        <section class="action-card invite" aria-labelledby="add-associate-title">
            <h2 id="add-associate-title">"Add a business associate"</h2>
            <StaffForm
                action=PAGE
                name=FormName::Associate.as_str()
                csrf=viewer.csrf
                refusal=refusal_for(&feedback, FormName::Associate)
            >
                <InputField
                    id="associate-name"
                    name="name"
                    label="Name"
                    autocomplete="off"
                    required=true
                    value=typed(&feedback, FormName::Associate, "name", "")
                />
                <InputField
                    id="associate-email"
                    name="email"
                    label="Email address for notices"
                    input_type="email"
                    autocomplete="off"
                    required=true
                    value=typed(&feedback, FormName::Associate, "email", "")
                />
                <TextAreaField
                    id="associate-relies-on"
                    name="relies_on"
                    label="Which records it relies on"
                    hint="For example: insurance claims and eligibility."
                    required=true
                    value=typed(&feedback, FormName::Associate, "relies_on", "")
                />
                <button type="submit" class="button">"Add business associate"</button>
            </StaffForm>
        </section>
    }
}
