//! Webhook endpoints: what administrators register for other systems, the
//! deliveries each got, and the changes they may make.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{InputField, StaffForm};
use crate::domain::access::Viewer;
use crate::domain::case::LetterStatus;
use crate::domain::format::utc_moment;
use crate::domain::request::Choice;
use crate::domain::staff_forms::{FormName, StaffFeedback};
use crate::domain::webhooks::{DeliveryInfo, EndpointInfo, WebhookEvent};
use crate::services::load_webhooks;

use super::frame::viewer;
use super::{Done, labels, refusal_for, staff_feedback, staff_view, typed};

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let viewer = viewer();
    let feedback = staff_feedback();
    let data = Resource::new(|| (), |_| load_webhooks());
    view! {
        <Title text="Webhooks"/>
        <div class="wrap wide">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || {
                    let feedback = feedback.clone();
                    Suspend::new(async move {
                        staff_view(viewer.await, data.await, |viewer, endpoints| {
                            view! { <Webhooks viewer endpoints feedback/> }.into_any()
                        })
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Webhooks(viewer: Viewer, endpoints: Vec<EndpointInfo>, feedback: StaffFeedback) -> impl IntoView {
    let list = if endpoints.is_empty() {
        view! { <p class="empty">"No endpoints are registered. Register one below."</p> }.into_any()
    } else {
        endpoints
            .into_iter()
            .map(|endpoint| view! { <Endpoint endpoint csrf=viewer.csrf.clone()/> })
            .collect_view()
            .into_any()
    };
    let wanted = feedback.value(FormName::Webhook, "events");
    let events = WebhookEvent::ALL
        .iter()
        .map(|event| {
            let id = format!("event-{}", event.as_str().replace('.', "-"));
            let checked = wanted.as_deref().is_some_and(|list| list.split(' ').any(|name| name == event.as_str()));
            view! {
                <div class="checkbox">
                    <input type="checkbox" id=id.clone() name="events" value=event.as_str() checked=checked/>
                    <label for=id>{event.label()} " " <code>{event.as_str()}</code></label>
                </div>
            }
        })
        .collect_view();
    view! {
        <h1>"Webhooks"</h1>
        <p class="lead">
            "The portal tells other systems (mailing, marketing, records) about each decision by posting a signed JSON "
            "message to their address. Deliveries that fail are retried for hours, with longer waits each time."
        </p>
        <Done/>
        {list}
        <section class="action-card invite" aria-labelledby="register-title">
            <h2 id="register-title">"Register an endpoint"</h2>
            <StaffForm
                action="/staff/webhooks"
                name=FormName::Webhook.as_str()
                csrf=viewer.csrf
                refusal=refusal_for(&feedback, FormName::Webhook)
            >
                <InputField
                    id="webhook-url"
                    name="url"
                    label="Address"
                    hint="Where the receiving system listens, such as https://hooks.example.com/privacy."
                    input_type="url"
                    autocomplete="off"
                    required=true
                    value=typed(&feedback, FormName::Webhook, "url", "")
                />
                <InputField
                    id="webhook-description"
                    name="description"
                    label="What it is"
                    hint="For example, the marketing system's suppression list."
                    autocomplete="off"
                    value=typed(&feedback, FormName::Webhook, "description", "")
                />
                <fieldset class="field">
                    <legend>"Events to send"</legend>
                    {events}
                </fieldset>
                <button type="submit" class="button">"Register endpoint"</button>
            </StaffForm>
        </section>
    }
}

#[component]
fn Endpoint(endpoint: EndpointInfo, csrf: String) -> impl IntoView {
    let action = format!("/staff/webhooks/{}", endpoint.id);
    let heading = format!("endpoint-{}", endpoint.id);
    let events = endpoint.events.iter().map(|event| event.label()).collect::<Vec<_>>().join(", ");
    let deliveries = if endpoint.recent.is_empty() {
        view! { <p class="empty">"Nothing has been sent to it yet."</p> }.into_any()
    } else {
        let rows = endpoint
            .recent
            .into_iter()
            .map(|delivery| view! { <Delivery delivery action=action.clone() csrf=csrf.clone()/> })
            .collect_view();
        view! {
            <div class="table-scroll" role="region" aria-label="Recent deliveries" tabindex="0">
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">"Event"</th>
                            <th scope="col">"Written"</th>
                            <th scope="col">"State"</th>
                            <th scope="col">"Answer"</th>
                            <th scope="col">"Attempts"</th>
                            <th scope="col"><span class="visually-hidden">"Action"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let state = if endpoint.active { "Sending" } else { "Stopped" };
    let labelled_by = heading.clone();
    view! {
        <section class="panel endpoint" aria-labelledby=labelled_by>
            <h2 id=heading class="endpoint-url wrap-anywhere">{endpoint.url.clone()}</h2>
            <dl class="facts">
                <div><dt>"What it is"</dt><dd>{if endpoint.description.is_empty() { "–".to_owned() } else { endpoint.description.clone() }}</dd></div>
                <div><dt>"Events"</dt><dd>{events}</dd></div>
                <div><dt>"State"</dt><dd><span class="badge">{state}</span></dd></div>
                <div><dt>"Registered"</dt><dd>{utc_moment(endpoint.created_at)}</dd></div>
            </dl>
            <details class="secret">
                <summary>"Show the signing secret"</summary>
                <p>
                    "Deliveries are signed as the Standard Webhooks specification describes; give this secret to the "
                    "receiving system's verifier."
                </p>
                <input class="w-full reference" readonly value=endpoint.secret aria-label="Signing secret"/>
            </details>
            <h3>"Recent deliveries"</h3>
            {deliveries}
            {endpoint.active.then(|| view! {
                <div class="button-row">
                    <StaffForm action=action.clone() name=FormName::Endpoint.as_str() csrf=csrf.clone() class="inline-form">
                        <input type="hidden" name="change" value="rotate"/>
                        <button type="submit" class="button secondary small">"Make a new signing secret"</button>
                    </StaffForm>
                    <StaffForm action=action.clone() name=FormName::Endpoint.as_str() csrf=csrf.clone() class="inline-form">
                        <input type="hidden" name="change" value="stop"/>
                        <button type="submit" class="button secondary small">"Stop sending"</button>
                    </StaffForm>
                </div>
            })}
        </section>
    }
}

#[component]
fn Delivery(delivery: DeliveryInfo, action: String, csrf: String) -> impl IntoView {
    let answer = match (delivery.response_status, delivery.last_error.clone()) {
        (Some(status), _) => status.to_string(),
        (None, Some(error)) => error,
        (None, None) => "–".to_owned(),
    };
    let resendable = delivery.status != LetterStatus::Pending;
    let label = format!(" {} delivery {}", delivery.event, delivery.message_id);
    view! {
        <tr class:failed=delivery.status == LetterStatus::Failed>
            <th scope="row"><code>{delivery.event.clone()}</code></th>
            <td class="nowrap">{utc_moment(delivery.created_at)}</td>
            <td><span class="badge">{labels::delivery_status(delivery.status)}</span></td>
            <td class="wrap-anywhere">{answer}</td>
            <td>{delivery.attempts}</td>
            <td>
                {resendable.then(|| view! {
                    <StaffForm action=action name=FormName::Endpoint.as_str() csrf class="inline-form">
                        <input type="hidden" name="change" value="resend"/>
                        <input type="hidden" name="delivery" value=delivery.id.to_string()/>
                        <button type="submit" class="button secondary small">
                            "Send again" <span class="visually-hidden">{label}</span>
                        </button>
                    </StaffForm>
                })}
            </td>
        </tr>
    }
}
