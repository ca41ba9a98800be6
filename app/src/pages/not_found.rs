use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::set_status;

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Page not found"/>
        <div class="wrap narrow">
            <h1>"Page not found"</h1>
            <p>"If you typed the address, please check it. If you followed a link, it may be out of date."</p>
            <p><A href="/">"Go to your privacy choices"</A></p>
        </div>
    }
}
