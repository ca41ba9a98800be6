use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::set_status;
use crate::shell::language;
use crate::text::not_found;

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let lang = language();
    view! {
        <Title text=not_found::title(lang)/>
        <div class="wrap narrow">
            <h1>{not_found::title(lang)}</h1>
            <p>{not_found::body(lang)}</p>
            <p><A href="/">{not_found::home_link(lang)}</A></p>
        </div>
    }
}
