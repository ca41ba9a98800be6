use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::OptOutFormView;
use crate::domain::form::OptOutForm;
use crate::domain::{RequestKind, SiteInfo};

use super::form_state;

/// Whether the browser is sending a Global Privacy Control signal. Pages
/// are drawn on the server only: the browser runs nothing but the form.
fn gpc_from_request() -> bool {
    #[cfg(feature = "ssr")]
    {
        use crate::domain::gpc;
        use_context::<http::request::Parts>()
            .is_some_and(|parts| gpc::is_signal(parts.headers.get(gpc::HEADER).map(|v| v.as_bytes())))
    }
    #[cfg(not(feature = "ssr"))]
    false
}

#[component]
pub fn OptOutPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let state = form_state::<OptOutForm>();
    let gpc = gpc_from_request();
    view! {
        <Title text=RequestKind::OptOut.label()/>
        <div class="wrap narrow">
            <h1>{RequestKind::OptOut.label()}</h1>
            <p class="lead">
                "We may share information about you with companies that are not part of "
                {site.org_name.clone()}
                ". You can tell us to stop at any time. Your choice lasts until you tell us otherwise."
            </p>
            <p>
                "There is no charge and we do not need to check your identity for an opt-out. "
                "If you prefer, call us toll-free on "
                <a href=format!("tel:{}", site.opt_out_phone)>{site.opt_out_phone.clone()}</a>
                "."
            </p>
            {gpc.then(|| view! {
                <div class="notice" role="status" id="gpc-notice">
                    <h2>"Your browser's privacy signal was detected"</h2>
                    <p id="gpc-honored"><strong>"Opt-out request honored"</strong></p>
                    <p>
                        "Your browser sent a Global Privacy Control signal, and we honour it as an opt-out "
                        "for this browser. Send this form as well to apply your opt-out to your account, "
                        "whichever device you use. The signal will be recorded with your request."
                    </p>
                </div>
            })}
            <OptOutFormView action="/opt-out" state gpc staff=false submit_label="Send my opt-out">""</OptOutFormView>
        </div>
    }
}
