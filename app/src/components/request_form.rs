//! The frame of every customer form. Without JavaScript it is a plain HTML
//! form that the server validates and answers. With JavaScript the same
//! rules run in the browser first: errors appear as soon as a field is left
//! and the form is only sent once it would pass.
//!
//! Each kind's form is an island: the only part of its page that the
//! browser runs, so a customer downloads the checks of the form in front of
//! them and nothing of the rest of the portal.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::form::{AmendmentForm, ComplaintForm, OptOutForm};
use crate::domain::{FieldErrors, FormState, Language, RequestForm};
use crate::text::forms;

use super::{AmendmentFields, ComplaintFields, OptOutFields};

/// What the fields of the current form read: their initial values, and the
/// errors that may change while the person types.
#[derive(Clone, Copy)]
pub struct FormContext {
    initial: StoredValue<BTreeMap<String, String>>,
    errors: RwSignal<FieldErrors>,
    /// The language the form's words are in.
    pub lang: Language,
}

impl FormContext {
    pub fn initial(&self, field: &str) -> String {
        self.initial.with_value(|values| values.get(field).cloned().unwrap_or_default())
    }

    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.with(|e| e.get(field).map(str::to_owned))
    }
}

/// A form's state as the server has it: the values as they would be
/// posted, and the errors against them. Every kind of form crosses into the
/// browser as this one shape, so the browser decodes none of their types.
#[derive(Clone, Debug, Default)]
pub struct PostedState {
    values: String,
    errors: FieldErrors,
}

impl<F: RequestForm> From<FormState<F>> for PostedState {
    fn from(state: FormState<F>) -> Self {
        Self { values: serde_urlencoded::to_string(&state.values).unwrap_or_default(), errors: state.errors }
    }
}

/// The `id` of the page's one request form, where its island finds the
/// setup the server drew it with.
const FORM_ID: &str = "request-form";

/// What the server knew when it drew a form, carried to the form's island
/// in the form's `data-setup` attribute as a query string and read by the
/// browser before the island wakes. An island's properties would cross as
/// JSON, and reading JSON adds serde_json's decoder to every customer's
/// download: 9 KB compressed even for a single string property, against a
/// budget of 150 KB for the whole page.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct FormSetup {
    action: String,
    /// Whether the browser sent a Global Privacy Control signal.
    gpc: bool,
    staff: bool,
    lang: Language,
    submit_label: String,
    /// [`PostedState`]'s values.
    values: String,
    /// [`PostedState`]'s errors, as a query string of field and message.
    errors: String,
}

impl FormSetup {
    fn new(action: String, state: PostedState, gpc: bool, staff: bool, lang: Language, submit_label: String) -> Self {
        let errors = serde_urlencoded::to_string(&state.errors.0).unwrap_or_default();
        Self { action, gpc, staff, lang, submit_label, values: state.values, errors }
    }

    /// The setup of the form being drawn: on the server, as the page's
    /// component provided it; in the browser, as the page carries it.
    fn of_this_form() -> Self {
        #[cfg(feature = "hydrate")]
        let found =
            browser::attribute_of(FORM_ID, "data-setup").and_then(|encoded| serde_urlencoded::from_str(&encoded).ok());
        #[cfg(not(feature = "hydrate"))]
        let found = use_context::<Self>();
        found.unwrap_or_else(|| {
            Self::new(String::new(), PostedState::default(), false, false, Language::En, String::new())
        })
    }

    fn errors(&self) -> FieldErrors {
        FieldErrors(serde_urlencoded::from_str(&self.errors).unwrap_or_default())
    }
}

/// Which form field each error is for, in the order the fields appear, so
/// the summary lists problems top to bottom.
fn ordered_errors<F: RequestForm>(errors: &FieldErrors) -> Vec<(String, String)> {
    let order: Vec<String> = serde_urlencoded::to_string(F::default())
        .map(|encoded| encoded.split('&').map(|pair| pair.split('=').next().unwrap_or("").to_owned()).collect())
        .unwrap_or_default();
    let mut list: Vec<(String, String)> = errors.iter().map(|(f, m)| (f.to_owned(), m.to_owned())).collect();
    list.sort_by_key(|(field, _)| order.iter().position(|f| f == field).unwrap_or(usize::MAX));
    list
}

/// The opt-out form. `staff` words it for someone typing in what a customer
/// said; `children` come before the fields: what only staff add, nothing
/// (`""`) on a customer's page.
#[component]
pub fn OptOutFormView(
    #[prop(into)] action: String,
    #[prop(into)] state: PostedState,
    /// Whether the browser sent a Global Privacy Control signal.
    gpc: bool,
    staff: bool,
    lang: Language,
    #[prop(into)] submit_label: String,
    children: Children,
) -> impl IntoView {
    provide_context(FormSetup::new(action, state, gpc, staff, lang, submit_label));
    view! { <OptOutIsland>{children()}</OptOutIsland> }
}

/// The amendment form, as [`OptOutFormView`].
#[component]
pub fn AmendmentFormView(
    #[prop(into)] action: String,
    #[prop(into)] state: PostedState,
    staff: bool,
    lang: Language,
    #[prop(into)] submit_label: String,
    children: Children,
) -> impl IntoView {
    provide_context(FormSetup::new(action, state, false, staff, lang, submit_label));
    view! { <AmendmentIsland>{children()}</AmendmentIsland> }
}

/// The complaint form, as [`OptOutFormView`].
#[component]
pub fn ComplaintFormView(
    #[prop(into)] action: String,
    #[prop(into)] state: PostedState,
    staff: bool,
    lang: Language,
    #[prop(into)] submit_label: String,
    children: Children,
) -> impl IntoView {
    provide_context(FormSetup::new(action, state, false, staff, lang, submit_label));
    view! { <ComplaintIsland>{children()}</ComplaintIsland> }
}

// Each kind's form is an island of its own, so that a page carries the
// rules of its own form only. They take no properties: see [`FormSetup`].

#[island]
fn OptOutIsland(children: Children) -> impl IntoView {
    request_form::<OptOutForm>(move |staff| view! { {children()} <OptOutFields staff/> }.into_any())
}

#[island]
fn AmendmentIsland(children: Children) -> impl IntoView {
    request_form::<AmendmentForm>(move |staff| view! { {children()} <AmendmentFields staff/> }.into_any())
}

#[island]
fn ComplaintIsland(children: Children) -> impl IntoView {
    request_form::<ComplaintForm>(move |staff| view! { {children()} <ComplaintFields staff/> }.into_any())
}

/// The form, checked against the rules of `F`, as its [`FormSetup`] says;
/// `fields` are drawn (worded for staff or not) once the form's context is
/// there for them to read.
fn request_form<F: RequestForm>(fields: impl FnOnce(bool) -> AnyView) -> impl IntoView {
    crate::shell::runs_in_browser();
    let setup = FormSetup::of_this_form();
    let encoded = serde_urlencoded::to_string(&setup).unwrap_or_default();
    let state_errors = setup.errors();
    let FormSetup { action, gpc, staff, lang, submit_label, values, .. } = setup;
    // The summary lists what a send found: shown once the person has tried
    // to send (or the server sent the page back), never while they fill in,
    // so that nothing above the button moves as they reach for it.
    let attempted = RwSignal::new(!state_errors.is_empty());
    let errors = RwSignal::new(state_errors);
    let submitting = RwSignal::new(false);
    let initial = serde_urlencoded::from_str(&values).unwrap_or_default();
    provide_context(FormContext { initial: StoredValue::new(initial), errors, lang });
    let summary_ref = NodeRef::<leptos::html::Div>::new();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if submitting.get_untracked() {
            ev.prevent_default();
            return;
        }
        match browser::read_form::<F>(&ev).map(|values| values.parse(&browser::context(gpc, lang))) {
            Some(Err(found)) => {
                ev.prevent_default();
                attempted.set(true);
                errors.set(found);
                if let Some(summary) = summary_ref.get_untracked() {
                    browser::focus(&summary);
                }
            }
            _ => submitting.set(true),
        }
    };

    // Leaving a field checks it; typing into a field marked wrong clears
    // the mark as soon as it is right. Other fields are left alone so that
    // nobody is told off for a field they have not reached yet. Leaving a
    // field for the send button checks nothing: the send checks every
    // field, and a message appearing now would move the button away from
    // the pointer before the click lands, so the form would not be sent.
    let recheck = move |ev: &leptos::web_sys::Event, only_if_marked: bool| {
        if browser::moves_to_submit(ev) {
            return;
        }
        let Some((name, values)) = browser::field_and_form::<F>(ev) else { return };
        if only_if_marked && errors.with_untracked(|e| e.get(&name).is_none()) {
            return;
        }
        let found = values.parse(&browser::context(gpc, lang)).err().unwrap_or_default();
        errors.update(|current| match found.get(&name) {
            Some(message) => {
                current.0.insert(name.clone(), message.to_owned());
            }
            None => {
                current.0.remove(&name);
            }
        });
    };

    view! {
        <div
            class="error-summary"
            role="alert"
            tabindex="-1"
            node_ref=summary_ref
            hidden=move || !attempted.get() || errors.with(FieldErrors::is_empty)
        >
            <h2>{forms::check_the_form(lang)}</h2>
            <p>
                {move || match errors.with(FieldErrors::len) {
                    1 => forms::one_answer(lang).to_owned(),
                    n => forms::many_answers(lang, &n.to_string()),
                }}
            </p>
            <ul>
                {move || {
                    errors
                        .with(ordered_errors::<F>)
                        .into_iter()
                        .map(|(field, message)| view! { <li><a href=format!("#f-{field}") rel="external">{message}</a></li> })
                        .collect_view()
                }}
            </ul>
        </div>
        <form
            id=FORM_ID
            data-setup=encoded
            method="post"
            action=action
            novalidate
            on:submit=on_submit
            on:focusout=move |ev| recheck(&ev, false)
            on:input=move |ev| recheck(&ev, true)
        >
            {fields(staff)}
            <div class="actions">
                <button type="submit" class="button" disabled=move || submitting.get()>
                    {move || if submitting.get() { forms::sending(lang).to_owned() } else { submit_label.clone() }}
                </button>
            </div>
        </form>
    }
}

/// What only the browser can do: read the live form and today's date.
/// On the server these are never called, as events only fire in a browser.
#[cfg(feature = "hydrate")]
mod browser {
    use leptos::wasm_bindgen::JsCast;
    use web_sys::{FormData, HtmlElement, HtmlFormElement, UrlSearchParams};

    use crate::domain::form::Replying;
    use crate::domain::{Language, ParseContext, RequestForm};

    fn decode<F: RequestForm>(form: &HtmlFormElement) -> Option<Replying<F>> {
        let data = FormData::new_with_form(form).ok()?;
        let params = UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        Replying::from_query(&String::from(params.to_string()))
    }

    /// An attribute of the element with this `id`, as the page carries it.
    pub fn attribute_of(id: &str, attribute: &str) -> Option<String> {
        leptos::prelude::document().get_element_by_id(id)?.get_attribute(attribute)
    }

    pub fn read_form<F: RequestForm>(ev: &leptos::ev::SubmitEvent) -> Option<Replying<F>> {
        decode(&ev.target()?.dyn_into::<HtmlFormElement>().ok()?)
    }

    pub fn field_and_form<F: RequestForm>(ev: &web_sys::Event) -> Option<(String, Replying<F>)> {
        let target = ev.target()?;
        let name = target.dyn_ref::<web_sys::Element>()?.get_attribute("name")?;
        let form = target.dyn_ref::<web_sys::Element>()?.closest("form").ok()??;
        Some((name, decode(&form.dyn_into::<HtmlFormElement>().ok()?)?))
    }

    /// Whether a focus change hands the focus to a button that sends the form.
    pub fn moves_to_submit(ev: &web_sys::Event) -> bool {
        let Some(to) = ev.dyn_ref::<web_sys::FocusEvent>().and_then(web_sys::FocusEvent::related_target) else {
            return false;
        };
        to.dyn_ref::<web_sys::Element>().is_some_and(|element| {
            element.tag_name().eq_ignore_ascii_case("button")
                && element.get_attribute("type").is_none_or(|kind| kind.eq_ignore_ascii_case("submit"))
        })
    }

    pub fn context(gpc: bool, lang: Language) -> ParseContext {
        let now = js_sys::Date::new_0();
        let today = chrono::NaiveDate::from_ymd_opt(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
            .unwrap_or(chrono::NaiveDate::MAX);
        ParseContext { today, gpc, lang }
    }

    /// Focuses an element that the reactive system is about to reveal: it
    /// is shown first, because a hidden element cannot take focus.
    pub fn focus(element: &HtmlElement) {
        let _ = element.remove_attribute("hidden");
        let _ = element.focus();
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    use crate::domain::form::Replying;
    use crate::domain::{Language, ParseContext, RequestForm};

    pub fn read_form<F: RequestForm>(_: &leptos::ev::SubmitEvent) -> Option<Replying<F>> {
        None
    }

    pub fn field_and_form<F: RequestForm>(_: &leptos::web_sys::Event) -> Option<(String, Replying<F>)> {
        None
    }

    pub fn moves_to_submit(_: &leptos::web_sys::Event) -> bool {
        false
    }

    pub fn context(gpc: bool, lang: Language) -> ParseContext {
        ParseContext { today: chrono::NaiveDate::MAX, gpc, lang }
    }

    pub fn focus(_: &leptos::web_sys::HtmlElement) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The browser reads the setup back exactly as the server drew it, with
    /// what the person typed and the messages in any language.
    #[test]
    fn a_form_setup_reads_back_as_the_server_wrote_it() {
        let errors = FieldErrors(BTreeMap::from([
            ("email".to_owned(), "Escriba una dirección como nombre@ejemplo.com & otra = ?".to_owned()),
            ("full_name".to_owned(), "Enter your full name".to_owned()),
        ]));
        let state = PostedState { values: "full_name=Ana+%26+B%C3%B3&email=ana%40".to_owned(), errors: errors.clone() };
        let setup = FormSetup::new("/opt-out".to_owned(), state, true, true, Language::Es, "Enviar «ya»".to_owned());
        let page = serde_urlencoded::to_string(&setup).expect("a setup encodes");
        let read: FormSetup = serde_urlencoded::from_str(&page).expect("and decodes");
        assert_eq!(read.errors(), errors);
        assert_eq!(read.values, "full_name=Ana+%26+B%C3%B3&email=ana%40");
        assert_eq!((read.action.as_str(), read.gpc, read.staff, read.lang), ("/opt-out", true, true, Language::Es));
        assert_eq!(read.submit_label, "Enviar «ya»");
    }
}
