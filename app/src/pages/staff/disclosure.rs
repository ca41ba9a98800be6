//! The yearly request metrics a large business publishes under the CCPA
//! (11 CCR 7102), ready to copy into the privacy policy.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::domain::metrics::Disclosure;
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
    view! {
        <p class="back"><a href="/staff/dashboard">"Back to the dashboard"</a></p>
        <h1>{format!("Request metrics for {year}")}</h1>
        <p class="lead">
            "For the privacy policy, as the CCPA regulations (11 CCR 7102) ask of large businesses: for each kind of \
             request, how many were received in the calendar year, how many were complied with in whole or in part, \
             how many were denied, and the median number of days taken to respond."
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
             the year (a partly accepted amendment was complied with in part), with days counted as calendar days \
             from receipt to answer. Requests closed without an outcome (withdrawn, duplicates, never confirmed) are \
             neither complied with nor denied."
        </p>
        <p class="download">
            <a href=format!("/staff/disclosure.csv?year={year}") download>"Download this table (CSV)"</a>
        </p>
    }
}
