use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{InputField, SelectField, StaffForm};
use crate::domain::access::Viewer;
use crate::domain::accounts::{ApiTokenInfo, IssuedToken, StaffMember, TokenLifetime};
use crate::domain::staff_forms::{FormName, StaffFeedback};
use crate::services::{issued_token, load_api_tokens};

use super::frame::viewer;
use super::{Done, long_date, refusal_for, staff_feedback, staff_view, typed};

#[component]
pub fn TokensPage() -> impl IntoView {
    let viewer = viewer();
    let feedback = staff_feedback();
    // Only the page drawn right after the form that issued it has the token.
    let issued = issued_token();
    let data = Resource::new(|| (), |_| load_api_tokens());
    view! {
        <Title text="API tokens"/>
        <div class="wrap wide">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || {
                    let (feedback, issued) = (feedback.clone(), issued.clone());
                    Suspend::new(async move {
                        staff_view(viewer.await, data.await, |viewer, (tokens, staff)| {
                            view! { <Tokens viewer tokens staff feedback issued/> }.into_any()
                        })
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Tokens(
    viewer: Viewer,
    tokens: Vec<ApiTokenInfo>,
    staff: Vec<StaffMember>,
    feedback: StaffFeedback,
    issued: IssuedToken,
) -> impl IntoView {
    let list = if tokens.is_empty() {
        view! { <p class="empty">"No tokens have been issued."</p> }.into_any()
    } else {
        let rows = tokens
            .into_iter()
            .map(|token| {
                let revoke_label = format!(" {}", token.name);
                view! {
                    <tr>
                        <th scope="row">{token.name}</th>
                        <td>{token.owner.name}</td>
                        <td>{token.issued_by}</td>
                        <td class="nowrap">{long_date(token.created_on)}</td>
                        <td class="nowrap">{long_date(token.expires_on)}</td>
                        <td class="nowrap">{token.last_used_on.map_or_else(|| "Never".to_owned(), long_date)}</td>
                        <td>
                            <StaffForm
                                action=format!("/staff/tokens/{}/revoke", token.id)
                                name=FormName::Revoke.as_str()
                                csrf=viewer.csrf.clone()
                                class="inline-form"
                            >
                                <button type="submit" class="button secondary small">
                                    "Revoke" <span class="visually-hidden">{revoke_label}</span>
                                </button>
                            </StaffForm>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" role="region" aria-label="API tokens" tabindex="0">
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">"For"</th>
                            <th scope="col">"Acts as"</th>
                            <th scope="col">"Issued by"</th>
                            <th scope="col">"Issued"</th>
                            <th scope="col">"Expires"</th>
                            <th scope="col">"Last used"</th>
                            <th scope="col"><span class="visually-hidden">"Action"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let owners = staff
        .into_iter()
        .filter(|member| member.active)
        .map(|member| (member.email.clone(), format!("{} ({})", member.name, member.email)))
        .collect();
    view! {
        <h1>"API tokens"</h1>
        <p class="lead">
            "Other systems call the portal's JSON API with a token. Each token acts as the staff member it is issued for, "
            "who sees it on their account page, until it expires or that person signs out everywhere."
        </p>
        <Done/>
        {(!issued.0.is_empty()).then(|| view! {
            <div class="panel success" role="status">
                <h2>"Copy the new token now"</h2>
                <p>"It is shown only this once. Keep it somewhere safe, such as the other system's secret store."</p>
                <label class="link-label" for="issued-token">"New token"</label>
                <input id="issued-token" class="w-full reference" readonly value=issued.0/>
            </div>
        })}
        {list}
        <section class="action-card invite" aria-labelledby="issue-title">
            <h2 id="issue-title">"Issue a token"</h2>
            <StaffForm action="/staff/tokens" name=FormName::Token.as_str() csrf=viewer.csrf refusal=refusal_for(&feedback, FormName::Token)>
                <InputField
                    id="token-name"
                    name="name"
                    label="What it is for"
                    hint="For example, the system that will use it."
                    autocomplete="off"
                    required=true
                    value=typed(&feedback, FormName::Token, "name", "")
                />
                <SelectField
                    id="token-email"
                    name="email"
                    label="Acts as"
                    options=owners
                    selected=typed(&feedback, FormName::Token, "email", viewer.email)
                />
                <InputField
                    id="token-days"
                    name="days"
                    label="Works for how many days"
                    hint="A year at most. It stops working sooner if that person signs out everywhere."
                    input_type="number"
                    autocomplete="off"
                    required=true
                    max=TokenLifetime::MAX_DAYS.to_string()
                    width="w-medium"
                    value=typed(&feedback, FormName::Token, "days", TokenLifetime::default().to_string())
                />
                <button type="submit" class="button">"Issue token"</button>
            </StaffForm>
        </section>
    }
}
