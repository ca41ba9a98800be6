//! A button that puts a text, such as a reference or a private link, on the
//! clipboard. Copying needs script, so the button is shown only once the
//! page is running in the browser; without JavaScript the text is there to
//! select, as ever.

use leptos::prelude::*;

use crate::domain::Language;
use crate::text::copy;

/// What the last press did, as the button's `data-copied` says; the style
/// sheet shows the words for it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Copied {
    Not,
    Yes,
    Refused,
}

impl Copied {
    fn as_str(self) -> &'static str {
        match self {
            Self::Not => "not",
            Self::Yes => "yes",
            Self::Refused => "refused",
        }
    }
}

/// `what` is what is copied, for the button's accessible name ("Copy the
/// reference"). The page carries the text and every state's words, so the
/// island takes no properties (see `request_form::FormSetup` for why).
#[component]
pub fn CopyButton(#[prop(into)] text: String, #[prop(into)] what: String, lang: Language) -> impl IntoView {
    let words = |state: Copied, label: &'static str| {
        view! {
            <span class=format!("copy-{}", state.as_str())>
                {label} " " <span class="visually-hidden">{what.clone()}</span>
            </span>
        }
    };
    let said = (
        words(Copied::Not, copy::copy(lang)),
        words(Copied::Yes, copy::copied(lang)),
        words(Copied::Refused, copy::refused(lang)),
    );
    view! {
        <span class="copy-source" data-copy=text>
            <CopyControl>{said}</CopyControl>
        </span>
    }
    // Named, the button's type nests too deep for the pages around it.
    .into_any()
}

#[island]
fn CopyControl(children: Children) -> impl IntoView {
    crate::shell::runs_in_browser();
    let running = RwSignal::new(false);
    Effect::new(move || running.set(true));
    let copied = RwSignal::new(Copied::Not);
    view! {
        <button
            type="button"
            class="copy-button"
            hidden=move || !running.get()
            data-copied=move || copied.get().as_str()
            on:click=move |ev| clipboard::copy(&ev, move |done| copied.set(if done { Copied::Yes } else { Copied::Refused }))
        >
            {children()}
        </button>
    }
}

/// What only the browser can do: write to the clipboard, which answers
/// later (or refuses, outside a secure page or without permission).
#[cfg(feature = "hydrate")]
mod clipboard {
    use leptos::wasm_bindgen::JsCast;

    /// Copies the text of the `data-copy` around the pressed button.
    pub fn copy(ev: &leptos::ev::MouseEvent, then: impl Fn(bool) + 'static) {
        let text = ev
            .current_target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|button| button.closest("[data-copy]").ok().flatten())
            .and_then(|source| source.get_attribute("data-copy"));
        let Some(text) = text else { return then(false) };
        leptos::task::spawn_local(async move {
            let promise = leptos::prelude::window().navigator().clipboard().write_text(&text);
            then(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
        });
    }
}

#[cfg(not(feature = "hydrate"))]
mod clipboard {
    pub fn copy(_: &leptos::ev::MouseEvent, _: impl Fn(bool) + 'static) {}
}
