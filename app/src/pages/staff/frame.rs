//! The staff side's frame: who is signed in, and the header with their
//! tools.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::domain::SiteInfo;
use crate::domain::access::{Action, Actor, Viewer, permits};
use crate::services::load_viewer;

use super::ViewerResult;

/// The signed-in staff member, loaded once for the header and the page.
#[derive(Clone, Copy)]
pub(super) struct SignedIn(pub Resource<ViewerResult>);

/// Loads the viewer for a page drawn on the staff side. Customer pages
/// never call it, so their rendering waits on nothing of the staff's.
pub fn provide_viewer() {
    provide_context(SignedIn(Resource::new(|| (), |_| load_viewer())));
}

/// The viewer, for a page to await with its own data; loaded here when the
/// page was reached from the customer side in the browser.
pub(super) fn viewer() -> Resource<ViewerResult> {
    use_context::<SignedIn>().map(|signed_in| signed_in.0).unwrap_or_else(|| {
        provide_viewer();
        expect_context::<SignedIn>().0
    })
}

#[component]
pub fn StaffHeader() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let viewer = viewer();
    view! {
        <header class="site-header staff-header">
            <div class="wrap wide header-row">
                <A href="/staff" exact=true attr:class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">{site.org_name}</span>
                    <span class="brand-sub">"Staff"</span>
                </A>
                <Suspense>
                    {move || Suspend::new(async move {
                        viewer.await.ok().flatten().map(|viewer| view! { <StaffTools viewer/> })
                    })}
                </Suspense>
            </div>
        </header>
    }
}

/// The navigation and the signed-in person, shown once somebody is.
#[component]
fn StaffTools(viewer: Viewer) -> impl IntoView {
    let may = |action| permits(Actor::Staff(&viewer), action);
    let links = [
        (Action::ViewQueue, "/staff", "Queue"),
        (Action::EnterRequest, "/staff/new", "New request"),
        (Action::ViewOptOutRegister, "/staff/opt-outs", "Opt-out register"),
        (Action::ManageMail, "/staff/mail", "Undelivered email"),
        (Action::ManageMail, "/staff/print", "Letters to print"),
        (Action::ViewMetrics, "/staff/dashboard", "Dashboard"),
        (Action::ManageStaff, "/staff/people", "People"),
        (Action::ManageApiTokens, "/staff/tokens", "API tokens"),
        (Action::ManageWebhooks, "/staff/webhooks", "Webhooks"),
        (Action::ManageBusinessAssociates, "/staff/associates", "Business associates"),
        (Action::EditLetters, "/staff/letters", "Letters"),
        (Action::ViewOwnAccount, "/staff/account", "Your account"),
    ]
    .into_iter()
    .filter(|(action, _, _)| may(*action))
    .map(|(_, href, text)| view! { <A href=href exact=href == "/staff">{text}</A> })
    .collect_view();
    view! {
        <nav aria-label="Staff">{links}</nav>
        <div class="who">
            <p class="who-name">
                {viewer.name.clone()}
                <span class="who-role">{viewer.role.label()}</span>
            </p>
            <form method="post" action="/staff/sign-out">
                <input type="hidden" name="csrf" value=viewer.csrf.clone()/>
                <button type="submit" class="link-button">"Sign out"</button>
            </form>
            <form method="post" action="/staff/sign-out-everywhere">
                <input type="hidden" name="csrf" value=viewer.csrf/>
                <button type="submit" class="link-button">"Sign out everywhere"</button>
            </form>
        </div>
    }
}
