use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::LINK_AGAIN;
use crate::domain::{RequestKind, SiteInfo};
use crate::shell::language;
use crate::text::home;

#[component]
pub fn HomePage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let lang = language();
    view! {
        <Title text=home::title(lang)/>
        <section class="hero">
            <div class="wrap">
                <h1>{home::title(lang)}</h1>
                <p class="lead">{home::lead(lang)}</p>
            </div>
        </section>
        <div class="wrap">
            <ul class="cards">
                <li class="card">
                    <h2><A href="/opt-out">{RequestKind::OptOut.label_in(lang)}</A></h2>
                    <p>{home::opt_out_card(lang, &site.org_name)}</p>
                    <p class="card-alt">{home::call_toll_free(lang)} " " <a href=format!("tel:{}", site.opt_out_phone)>{site.opt_out_phone.clone()}</a></p>
                </li>
                <li class="card">
                    <h2><A href="/amendment">{RequestKind::Amendment.label_in(lang)}</A></h2>
                    <p>{home::amendment_card(lang)}</p>
                    <p class="card-alt">{home::call(lang)} " " <a href=format!("tel:{}", site.privacy_phone)>{site.privacy_phone.clone()}</a></p>
                </li>
                <li class="card">
                    <h2><A href="/complaint">{RequestKind::Complaint.label_in(lang)}</A></h2>
                    <p>{home::complaint_card(lang)}</p>
                    <p class="card-alt">{home::call(lang)} " " <a href=format!("tel:{}", site.privacy_phone)>{site.privacy_phone.clone()}</a></p>
                </li>
            </ul>
            <p class="note">
                {home::already_sent(lang)} " " <A href=LINK_AGAIN>{home::link_again(lang)}</A>
                {home::or_call_with_reference(lang, &site.privacy_phone)}
            </p>
        </div>
    }
}
