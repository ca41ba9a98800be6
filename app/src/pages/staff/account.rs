//! A staff member's own account: every API token issued in their name, by
//! whom, and whether it still works, so that nobody can be given a token
//! that acts as them without their seeing it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::access::Viewer;
use crate::domain::accounts::{ApiTokenInfo, TokenStanding};
use crate::services::load_account;

use super::frame::viewer;
use super::{long_date, staff_view};

#[component]
pub fn AccountPage() -> impl IntoView {
    let viewer = viewer();
    let data = Resource::new(|| (), |_| load_account());
    view! {
        <Title text="Your account"/>
        <div class="wrap wide">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    staff_view(viewer.await, data.await, |viewer, tokens| view! { <Account viewer tokens/> }.into_any())
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Account(viewer: Viewer, tokens: Vec<ApiTokenInfo>) -> impl IntoView {
    let list = if tokens.is_empty() {
        view! { <p class="empty">"No API token has been issued in your name."</p> }.into_any()
    } else {
        let rows = tokens
            .into_iter()
            .map(|token| {
                view! {
                    <tr class:inactive=token.standing != TokenStanding::InForce>
                        <th scope="row">{token.name}</th>
                        <td>{token.issued_by}</td>
                        <td class="nowrap">{long_date(token.created_on)}</td>
                        <td class="nowrap">{long_date(token.expires_on)}</td>
                        <td class="nowrap">{token.last_used_on.map_or_else(|| "Never".to_owned(), long_date)}</td>
                        <td>{token.standing.label()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" role="region" aria-label="API tokens in your name" tabindex="0">
                <table class="data" id="own-tokens">
                    <thead>
                        <tr>
                            <th scope="col">"For"</th>
                            <th scope="col">"Issued by"</th>
                            <th scope="col">"Issued"</th>
                            <th scope="col">"Expires"</th>
                            <th scope="col">"Last used"</th>
                            <th scope="col">"Now"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <h1>"Your account"</h1>
        <p class="lead">{format!("{}, {} ({}).", viewer.name, viewer.email, viewer.role.label())}</p>
        <h2>"API tokens in your name"</h2>
        <p>
            "Each of these lets another system act as you. They stop working when they expire, "
            "when you sign out everywhere, or when your account is disabled or changes role. "
            "If you do not recognise one, tell an administrator and sign out everywhere."
        </p>
        {list}
    }
}
