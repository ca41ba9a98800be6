//! Form fields that show their label, hint and error together, and keep what
//! was typed when the page comes back with errors.

use leptos::prelude::*;

use crate::domain::Language;
use crate::domain::email::suggestion;
use crate::domain::request::Choice;
use crate::text::forms;

use super::request_form::FormContext;

fn described_by(hint: bool, id: &str) -> String {
    if hint { format!("{id}-hint {id}-error") } else { format!("{id}-error") }
}

/// Label, optional hint and error line: the parts every field has.
#[component]
fn FieldFrame(
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    required: bool,
    children: Children,
) -> impl IntoView {
    let ctx = expect_context::<FormContext>();
    let lang = ctx.lang;
    let id = format!("f-{name}");
    let error = move || ctx.error(name);
    view! {
        <div class="field" class:has-error=move || error().is_some()>
            <label for=id.clone()>
                {label}
                {(!required).then(|| view! { <span class="optional">" " {forms::optional(lang)}</span> })}
            </label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            <p class="error" id=format!("{id}-error")>
                {move || error().map(|e| view! { <span class="visually-hidden">{forms::error_prefix(lang)} " "</span> {e} })}
            </p>
            {children()}
        </div>
    }
}

#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] width: Option<&'static str>,
    /// For an email address: offers the spelling of a common domain that
    /// the typed one is a slip away from, as a hint that refuses nothing.
    #[prop(optional)]
    did_you_mean: bool,
) -> impl IntoView {
    let ctx = expect_context::<FormContext>();
    let id = format!("f-{name}");
    let mut described = described_by(hint.is_some(), &id);
    let value = ctx.initial(name);
    let typed = RwSignal::new(value.clone());
    let meant = move || typed.with(|typed| suggestion(typed)).filter(|_| ctx.error(name).is_none());
    let suggested = did_you_mean.then(|| {
        described = format!("{described} {id}-suggestion");
        view! {
            <p class="suggestion" id=format!("{id}-suggestion") aria-live="polite">
                {move || meant().map(|meant| forms::did_you_mean(ctx.lang, &meant))}
            </p>
        }
    });
    view! {
        <FieldFrame name label hint required>
            <input
                id=id
                name=name
                type=input_type
                value=value
                class=width.unwrap_or("w-full")
                autocomplete=autocomplete
                aria-required=required.then_some("true")
                aria-invalid=move || ctx.error(name).is_some().then_some("true")
                aria-describedby=described
                on:input=move |ev| {
                    if did_you_mean {
                        typed.set(event_target_value(&ev));
                    }
                }
            />
            {suggested}
        </FieldFrame>
    }
}

#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    max: u64,
) -> impl IntoView {
    let ctx = expect_context::<FormContext>();
    let id = format!("f-{name}");
    let described = format!("{} {id}-count", described_by(hint.is_some(), &id));
    let initial = ctx.initial(name);
    let count = RwSignal::new(initial.chars().count() as u64);
    let count_text = move || {
        let used = count.get();
        if used > max {
            forms::characters_over(ctx.lang, &(used - max).to_string())
        } else {
            forms::characters_left(ctx.lang, &(max - used).to_string())
        }
    };
    view! {
        <FieldFrame name label hint required>
            <textarea
                id=id.clone()
                name=name
                rows="5"
                aria-required=required.then_some("true")
                aria-invalid=move || ctx.error(name).is_some().then_some("true")
                aria-describedby=described
                on:input=move |ev| count.set(event_target_value(&ev).chars().count() as u64)
                // Leptos writes a textarea's children unescaped, so the text
                // is escaped here: typed markup must stay text.
                inner_html=html_escape::encode_text(&initial).into_owned()
            ></textarea>
            <p class="count" class:over={move || count.get() > max} id=format!("{id}-count") aria-live="polite">
                {count_text}
            </p>
        </FieldFrame>
    }
}

/// The options of a fixed choice, for [`ChoiceField`], named in `lang`.
pub fn options_of<C: Choice>(lang: Language) -> Vec<(&'static str, &'static str)> {
    C::options().iter().map(|c| (c.key(), c.label_in(lang))).collect()
}

/// A fixed choice shown as radio buttons in a fieldset.
#[component]
pub fn ChoiceField(
    name: &'static str,
    legend: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    /// The choices as (stored key, label), from [`options_of`].
    options: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let ctx = expect_context::<FormContext>();
    let lang = ctx.lang;
    let id = format!("f-{name}");
    let chosen = ctx.initial(name);
    let error = move || ctx.error(name);
    let described = described_by(hint.is_some(), &id);
    let options = options
        .into_iter()
        .enumerate()
        .map(|(index, (key, label))| {
            // The first radio carries the field's id, so the error summary's
            // link lands on it.
            let option_id = if index == 0 { id.clone() } else { format!("{id}-{key}") };
            view! {
                <div class="radio">
                    <input
                        type="radio"
                        id=option_id.clone()
                        name=name
                        value=key
                        checked=chosen == key
                    />
                    <label for=option_id>{label}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="field"
            class:has-error=move || error().is_some()
            aria-describedby=described
            aria-invalid=move || error().is_some().then_some("true")
        >
            <legend>{legend}</legend>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            <p class="error" id=format!("{id}-error")>
                {move || error().map(|e| view! { <span class="visually-hidden">{forms::error_prefix(lang)} " "</span> {e} })}
            </p>
            <div class="radios">{options}</div>
        </fieldset>
    }
}
