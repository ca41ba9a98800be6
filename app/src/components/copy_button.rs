//! A button that puts a text, such as a reference or a private link, on the
//! clipboard. Copying needs script, so the button is shown only once the
//! page is running in the browser; without JavaScript the text is there to
//! select, as ever.

use leptos::prelude::*;

use crate::domain::Language;
use crate::text::copy;

/// What the last press did.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Copied {
    Not,
    Yes,
    Refused,
}

#[island]
pub fn CopyButton(
    #[prop(into)] text: String,
    /// What is copied, for the button's accessible name ("Copy the reference").
    #[prop(into)]
    what: String,
    lang: Language,
) -> impl IntoView {
    crate::shell::runs_in_browser();
    let running = RwSignal::new(false);
    Effect::new(move || running.set(true));
    let copied = RwSignal::new(Copied::Not);
    let label = move || match copied.get() {
        Copied::Not => copy::copy(lang),
        Copied::Yes => copy::copied(lang),
        Copied::Refused => copy::refused(lang),
    };
    view! {
        <button
            type="button"
            class="copy-button"
            hidden=move || !running.get()
            aria-label=move || format!("{} {what}", label())
            on:click=move |_| clipboard::copy(text.clone(), move |done| copied.set(if done { Copied::Yes } else { Copied::Refused }))
        >
            {label}
        </button>
    }
}

/// What only the browser can do: write to the clipboard, which answers
/// later (or refuses, outside a secure page or without permission).
#[cfg(feature = "hydrate")]
mod clipboard {
    pub fn copy(text: String, then: impl Fn(bool) + 'static) {
        leptos::task::spawn_local(async move {
            let promise = leptos::prelude::window().navigator().clipboard().write_text(&text);
            then(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
        });
    }
}

#[cfg(not(feature = "hydrate"))]
mod clipboard {
    pub fn copy(_: String, _: impl Fn(bool) + 'static) {}
}
