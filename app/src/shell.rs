//! The HTML document, the page frame and the routes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode, StaticSegment,
    components::{A, Route, Router, Routes},
    hooks::use_location,
    path,
};

use crate::domain::site::{AssetRoot, ShownAt};
use crate::domain::{Language, RequestKind, SiteInfo};
use crate::pages::staff::{
    AccountPage, AssociatesPage, CasePage, DashboardPage, DisclosurePage, LetterEditorPage, LettersPage, MailPage,
    NewRequestPage, OptOutPersonPage, OptOutRegisterPage, PeoplePage, PrintPage, QueuePage, SignInPage,
    StaffAmendmentPage, StaffComplaintPage, StaffHeader, StaffOptOutPage, TokensPage, WebhooksPage, WelcomePage,
    provide_viewer,
};
use crate::pages::{
    AmendmentPage, ComplaintPage, ConfirmPage, HomePage, LinkRequestPage, NotFound, OptOutPage, RevokePage,
    TrackingPage, VerifyPage,
};
use crate::text::frame;

/// Whether the page being drawn has a part that runs in the browser (an
/// island). Each island says so as it is drawn, with [`runs_in_browser`].
#[derive(Clone, Default)]
struct Islands(Arc<AtomicBool>);

/// Called first by every island: its page needs the script that wakes it.
/// A page without one is sent without the script and its WebAssembly. An
/// island drawn once data has arrived may be drawn after the end of the
/// page is written, so its page calls this before it waits (the tracking
/// page for its receipt; every staff page). The headers test checks every
/// page.
pub fn runs_in_browser() {
    if let Some(Islands(any)) = use_context() {
        any.store(true, Ordering::Relaxed);
    }
}

/// The language of the page being drawn on the server, as the request
/// chose it; English where nothing chose (the staff pages, tests).
pub fn language() -> Language {
    use_context().unwrap_or(Language::En)
}

/// The whole document, rendered on the server around [`App`]. The script
/// comes last, once the page's islands have been counted.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let AssetRoot(root) = use_context().unwrap_or_default();
    let islands = Islands::default();
    provide_context(islands.clone());
    // Only islands are woken in the browser: nothing else carries the
    // markers that hydration would need.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let scripts = options.clone();
    let lang = language();
    view! {
        <!DOCTYPE html>
        <html lang=lang.as_str()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="referrer" content="no-referrer"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                {use_context::<ShownAt>().map(|ShownAt(path)| view! {
                    <script nonce=use_nonce() data-at=path>
                        "history.replaceState(null, document.title, document.currentScript.dataset.at)"
                    </script>
                })}
                <MetaTags/>
            </head>
            <body>
                <App/>
                {move || {
                    islands.0.load(Ordering::Relaxed).then(|| {
                        view! { <HydrationScripts options=scripts.clone() islands=true root=root.clone()/> }
                    })
                }}
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let site = use_context::<SiteInfo>().unwrap_or_default();
    let AssetRoot(root) = use_context().unwrap_or_default();
    let lang = language();
    provide_context(site.clone());

    view! {
        <Stylesheet id="leptos" href=format!("{root}/pkg/portal.css")/>
        <Title formatter=move |page: String| frame::title(lang, &page, &site.org_name)/>
        <Router>
            // rel="external" keeps the router's hands off: the browser's own
            // jump to the fragment is what moves focus.
            <a class="skip-link" href="#content" rel="external">{frame::skip_link(lang)}</a>
            <Frame/>
        </Router>
    }
}

/// Customers and staff share the document but not its frame: customers see
/// the privacy office's contacts, staff see who is signed in and their tools.
#[component]
fn Frame() -> impl IntoView {
    let pathname = use_location().pathname;
    let staff_side = Memo::new(move |_| pathname.with(|path| path == "/staff" || path.starts_with("/staff/")));
    if staff_side.get_untracked() {
        provide_viewer();
        // Staff pages draw their islands once their data has arrived, which
        // can be after the end of the page is written: they always have the
        // script. A customer's page is counted by its islands.
        runs_in_browser();
    }
    view! {
        {move || if staff_side.get() { view! { <StaffHeader/> }.into_any() } else { view! { <Header/> }.into_any() }}
        <main id="content" tabindex="-1">
            <Routes fallback=NotFound>
                <Route path=StaticSegment("") view=HomePage/>
                <Route path=StaticSegment("opt-out") view=OptOutPage/>
                <Route path=StaticSegment("amendment") view=AmendmentPage/>
                <Route path=StaticSegment("complaint") view=ComplaintPage/>
                <Route path=StaticSegment("my-link") view=LinkRequestPage/>
                <Route path=path!("/track/:token") view=TrackingPage ssr=SsrMode::Async/>
                <Route path=path!("/verify/:token") view=VerifyPage/>
                <Route path=path!("/revoke/:token") view=RevokePage/>
                <Route path=path!("/confirm/:token") view=ConfirmPage/>
                <Route path=path!("/staff") view=QueuePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/sign-in") view=SignInPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/welcome/:token") view=WelcomePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/requests/:reference") view=CasePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/new") view=NewRequestPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/new/opt-out") view=StaffOptOutPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/new/amendment") view=StaffAmendmentPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/new/complaint") view=StaffComplaintPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/mail") view=MailPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/print") view=PrintPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/people") view=PeoplePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/dashboard") view=DashboardPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/disclosure") view=DisclosurePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/tokens") view=TokensPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/webhooks") view=WebhooksPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/associates") view=AssociatesPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/letters") view=LettersPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/letters/:letter") view=LetterEditorPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/account") view=AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/opt-outs") view=OptOutRegisterPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/opt-outs/:opt_out") view=OptOutPersonPage ssr=SsrMode::Async/>
            </Routes>
        </main>
        {move || (!staff_side.get()).then(|| view! { <Footer/> })}
    }
}

#[component]
fn Header() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let lang = language();
    view! {
        <header class="site-header">
            <div class="wrap header-row">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">{site.org_name}</span>
                    <span class="brand-sub">{frame::brand_sub(lang)}</span>
                </A>
                <nav aria-label=frame::nav_label(lang)>
                    <A href="/opt-out">{RequestKind::OptOut.label_in(lang)}</A>
                    <A href="/amendment">{RequestKind::Amendment.label_in(lang)}</A>
                    <A href="/complaint">{RequestKind::Complaint.label_in(lang)}</A>
                </nav>
                <LanguageSwitch lang/>
            </div>
        </header>
    }
}

/// A plain link to each other language, back to this same page: it works
/// without JavaScript, and the server remembers the choice in a cookie.
#[component]
fn LanguageSwitch(lang: Language) -> impl IntoView {
    let location = use_location();
    let here = move || {
        let (path, query) = (location.pathname.get(), location.search.get());
        if query.is_empty() { path } else { format!("{path}?{query}") }
    };
    view! {
        <p class="language-switch">
            <span class="visually-hidden">{crate::text::language::switch_label(lang)} ": "</span>
            {Language::ALL
                .iter()
                .filter(move |other| **other != lang)
                .map(|other| {
                    let other = *other;
                    let href = move || {
                        let next = serde_urlencoded::to_string([("next", here())]).unwrap_or_default();
                        format!("/lang/{other}?{next}")
                    };
                    view! {
                        <a href=href hreflang=other.as_str() lang=other.as_str() rel="external">{other.own_name()}</a>
                    }
                })
                .collect_view()}
        </p>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let lang = language();
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <p>
                    <strong>{site.org_name.clone()}</strong>
                    " · "
                    {site.org_address}
                </p>
                <p>
                    {frame::privacy_office(lang)} " "
                    <a href=format!("tel:{}", site.privacy_phone)>{site.privacy_phone.clone()}</a>
                    " · " {frame::opt_out_by_phone(lang)} " "
                    <a href=format!("tel:{}", site.opt_out_phone)>{site.opt_out_phone.clone()}</a>
                </p>
            </div>
        </footer>
    }
}
