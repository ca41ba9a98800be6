//! The HTML document, the page frame and the routes.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode, StaticSegment,
    components::{A, Route, Router, Routes},
    path,
};

use crate::domain::SiteInfo;
use crate::pages::{AmendmentPage, ComplaintPage, HomePage, NotFound, OptOutPage, TrackingPage, VerifyPage};

/// The whole document, rendered on the server around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="referrer" content="no-referrer"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The server's configuration, carried into the browser with the page so
    // that hydration renders the same header and footer.
    let site = SharedValue::new(|| use_context::<SiteInfo>().unwrap_or_default()).into_inner();
    provide_context(site.clone());

    view! {
        <Stylesheet id="leptos" href="/pkg/portal.css"/>
        <Title formatter=move |page: String| format!("{page} | {}", site.org_name)/>
        <Router>
            // rel="external" keeps the router's hands off: the browser's own
            // jump to the fragment is what moves focus.
            <a class="skip-link" href="#content" rel="external">"Skip to main content"</a>
            <Header/>
            <main id="content" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=HomePage/>
                    <Route path=StaticSegment("opt-out") view=OptOutPage/>
                    <Route path=StaticSegment("amendment") view=AmendmentPage/>
                    <Route path=StaticSegment("complaint") view=ComplaintPage/>
                    <Route path=path!("/track/:token") view=TrackingPage ssr=SsrMode::Async/>
                    <Route path=path!("/verify/:token") view=VerifyPage/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    view! {
        <header class="site-header">
            <div class="wrap header-row">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">{site.org_name}</span>
                    <span class="brand-sub">"Privacy requests"</span>
                </A>
                <nav aria-label="Privacy requests">
                    <A href="/opt-out">"Opt out"</A>
                    <A href="/amendment">"Amend"</A>
                    <A href="/complaint">"Complaint"</A>
                </nav>
            </div>
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <p>
                    <strong>{site.org_name.clone()}</strong>
                    " · "
                    {site.org_address}
                </p>
                <p>
                    "Privacy office: "
                    <a href=format!("tel:{}", site.privacy_phone)>{site.privacy_phone.clone()}</a>
                    " · Opt out by phone, toll-free: "
                    <a href=format!("tel:{}", site.opt_out_phone)>{site.opt_out_phone.clone()}</a>
                </p>
            </div>
        </footer>
    }
}
