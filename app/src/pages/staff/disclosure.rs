//! The yearly request metrics a large business publishes under the CCPA
//! (11 CCR 7102), ready to copy into the privacy policy.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::domain::metrics::{Disclosure, regimes_text};
use crate::services::load_disclosure;

use super::dashboard::FigureTable;
use super::frame::viewer;
use super::staff_view;

#[component]
pub fn DisclosurePage() -> impl IntoView {
    let viewer = viewer();
    let query = use_query_map();
    let year = move || query.read().get("year").and_then(|year| year.trim().parse::<i32>().ok());
    let data = Resource::new(year, load_disclosure);
    view! {
        <Title text="Yearly disclosure"/>
        <div class="wrap wide dashboard">
            <Suspense fallback=|| view! { <p>"Counting…"</p> }>
                {move || Suspend::new(async move {
                    staff_view(viewer.await, data.await, |_, disclosure| view! { <Yearly disclosure/> }.into_any())
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Yearly(disclosure: Disclosure) -> impl IntoView {
    let year = disclosure.year;
    let regimes = regimes_text(&disclosure.regimes);
    // Said plainly whether the CCPA, which asks for the table, is in force:
    // a GLBA and HIPAA organisation publishes it by choice, not by rule.
    let why = if disclosure.published_under_ccpa() {
        "For the privacy policy, as the CCPA regulations (11 CCR 7102) ask of large businesses: ".to_owned()
    } else {
        format!(
            "The regimes in force ({regimes}) ask for no published figures; this is the table the CCPA regulations \
             (11 CCR 7102) ask of large businesses, for the privacy policy should you publish it: "
        )
    };
    view! {
        <p class="back"><a href="/staff/dashboard">"Back to the dashboard"</a></p>
        <h1>{disclosure.title()}</h1>
        <p class="lead">
            {why}
            "for each kind of request, how many were received in the calendar year, how many were complied with in \
             whole or in part, how many were denied, and the median number of days taken to respond. Each row says \
             what it counts and the rules in force it is kept under."
        </p>
        {disclosure.partial.then(|| view! {
            <p class="notice">{format!("{year} is not over yet: these figures will still change.")}</p>
        })}
        <form method="get" action="/staff/disclosure" class="filters inline-form" aria-label="Choose the year">
            <label for="disclosure-year">"Year"</label>
            <input id="disclosure-year" name="year" type="number" inputmode="numeric" min="2000" max="9999" value=year/>
            <button type="submit" class="button secondary small">"Show"</button>
        </form>
        <FigureTable table=disclosure.table()/>
        <p class="hint">
            "Received counts requests received in the year. Complied, denied and the median count answers given in \
             the year (an amendment accepted in part was complied with in part), with days counted as calendar days \
             from receipt to answer. Requests closed without an outcome (withdrawn, duplicates, never confirmed) are \
             neither complied with nor denied."
        </p>
        <p class="download">
            <a href=format!("/staff/disclosure.csv?year={year}") download>"Download this table (CSV)"</a>
        </p>
    }
}
