use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::LINK_AGAIN;
use crate::domain::{RequestKind, SiteInfo};

#[component]
pub fn HomePage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    view! {
        <Title text="Your privacy choices"/>
        <section class="hero">
            <div class="wrap">
                <h1>"Your privacy choices"</h1>
                <p class="lead">
                    "Our privacy notice gives you three rights. Use a form below, or call us if you prefer. "
                    "Each request gets a reference number and a private link where you can follow it."
                </p>
            </div>
        </section>
        <div class="wrap">
            <ul class="cards">
                <li class="card">
                    <h2><A href="/opt-out">{RequestKind::OptOut.label()}</A></h2>
                    <p>
                        "Opt out of having your personal information shared with companies outside "
                        {site.org_name.clone()}
                        " that are not our affiliates. Your choice lasts until you change it."
                    </p>
                    <p class="card-alt">"Or call toll-free " <a href=format!("tel:{}", site.opt_out_phone)>{site.opt_out_phone.clone()}</a></p>
                </li>
                <li class="card">
                    <h2><A href="/amendment">{RequestKind::Amendment.label()}</A></h2>
                    <p>
                        "Ask us to amend information we hold about you: contact details, insurance, "
                        "your medical record or your account."
                    </p>
                    <p class="card-alt">"Or call " <a href=format!("tel:{}", site.privacy_phone)>{site.privacy_phone.clone()}</a></p>
                </li>
                <li class="card">
                    <h2><A href="/complaint">{RequestKind::Complaint.label()}</A></h2>
                    <p>
                        "Tell us if you think your information was misused, you were contacted when you "
                        "asked not to be, or a request of yours was refused."
                    </p>
                    <p class="card-alt">"Or call " <a href=format!("tel:{}", site.privacy_phone)>{site.privacy_phone.clone()}</a></p>
                </li>
            </ul>
            <p class="note">
                "Already sent a request? Open the private link from your receipt to see where it stands. "
                "Lost it? " <A href=LINK_AGAIN>"Send me my link again"</A> ", or call " {site.privacy_phone}
                " with your reference number."
            </p>
        </div>
    }
}
