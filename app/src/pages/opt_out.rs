use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::OptOutFormView;
use crate::domain::form::OptOutForm;
use crate::domain::{RequestKind, SiteInfo};
use crate::shell::language;
use crate::text::forms;

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
    let lang = language();
    view! {
        <Title text=RequestKind::OptOut.label_in(lang)/>
        <div class="wrap narrow">
            <h1>{RequestKind::OptOut.label_in(lang)}</h1>
            <p class="lead">{forms::opt_out_lead(lang, &site.org_name)}</p>
            <p>
                {forms::opt_out_no_charge(lang)} " "
                <a href=format!("tel:{}", site.opt_out_phone)>{site.opt_out_phone.clone()}</a>
                "."
            </p>
            {gpc.then(|| view! {
                <div class="notice" role="status" id="gpc-notice">
                    <h2>{forms::opt_out_gpc_heading(lang)}</h2>
                    <p id="gpc-honored"><strong>{forms::opt_out_gpc_honored(lang)}</strong></p>
                    <p>{forms::opt_out_gpc_body(lang)}</p>
                </div>
            })}
            <OptOutFormView action="/opt-out" state gpc staff=false lang submit_label=forms::opt_out_submit(lang)>""</OptOutFormView>
        </div>
    }
}
