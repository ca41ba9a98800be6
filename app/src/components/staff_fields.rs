//! Fields and forms of the staff pages. Staff forms are short and posted
//! whole to the server, which sends the page back with what was typed when
//! it refuses one; so each field simply takes its starting value.

use leptos::prelude::*;

/// A form that changes something on the staff side. It carries the
/// session's CSRF token and its own name, which the server quotes back when
/// it refuses the form so that the page can show why beside it.
#[component]
pub fn StaffForm(
    #[prop(into)] action: String,
    /// The form's name, as in `StaffFeedback::form`.
    name: &'static str,
    #[prop(into)] csrf: String,
    /// The case version the form was drawn from: a change sent from an
    /// older view of the case is refused instead of overwriting.
    #[prop(optional)]
    version: Option<i64>,
    /// Why the server refused this form the last time it was sent.
    #[prop(default = None)]
    refusal: Option<String>,
    #[prop(optional, into)] id: Option<String>,
    #[prop(default = "staff-form")] class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="post" action=action class=class id=id>
            <input type="hidden" name="csrf" value=csrf/>
            <input type="hidden" name="form" value=name/>
            {version.map(|version| view! { <input type="hidden" name="version" value=version.to_string()/> })}
            {refusal.map(|message| view! { <FormAlert message lead="Not saved."/> })}
            {children()}
        </form>
    }
}

/// Why the server refused a form, shown where the form is.
#[component]
pub fn FormAlert(
    message: String,
    /// What the refusal meant, for forms that change something.
    #[prop(optional)]
    lead: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="form-alert" role="alert">
            <p>{lead.map(|lead| view! { <strong>{lead} " "</strong> })}{message}</p>
        </div>
    }
}

/// Label and optional hint, the parts every staff field has.
#[component]
fn Labelled(id: String, label: &'static str, hint: Option<&'static str>, children: Children) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|text| view! { <p class="hint" id=format!("{id}-hint")>{text}</p> })}
            {children()}
        </div>
    }
}

fn hint_id(id: &str, hint: Option<&'static str>) -> Option<String> {
    hint.map(|_| format!("{id}-hint"))
}

#[component]
pub fn InputField(
    /// Unique on the page: several forms may have a field of the same name.
    #[prop(into)]
    id: String,
    name: &'static str,
    label: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// The latest date a date field accepts.
    #[prop(optional, into)]
    max: Option<String>,
    #[prop(default = "w-full")] width: &'static str,
    /// Why the server refused what was typed here, shown beside it.
    #[prop(default = None)]
    error: Option<String>,
) -> impl IntoView {
    let described = match (hint_id(&id, hint), error.is_some()) {
        (Some(hint), true) => Some(format!("{hint} {id}-error")),
        (None, true) => Some(format!("{id}-error")),
        (hint, false) => hint,
    };
    let invalid = error.is_some().then_some("true");
    let error = error.map(|message| {
        view! {
            <p class="error" id=format!("{id}-error")>
                <span class="visually-hidden">"Error: "</span>
                {message}
            </p>
        }
    });
    view! {
        <Labelled id=id.clone() label hint>
            {error}
            <input
                id=id
                name=name
                type=input_type
                value=value
                class=width
                autocomplete=autocomplete
                required=required
                max=max
                aria-invalid=invalid
                aria-describedby=described
            />
        </Labelled>
    }
}

#[component]
pub fn TextAreaField(
    #[prop(into)] id: String,
    name: &'static str,
    label: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// Why the server refused what was typed here, shown beside it.
    #[prop(default = None)]
    error: Option<String>,
) -> impl IntoView {
    let described = match (hint_id(&id, hint), error.is_some()) {
        (Some(hint), true) => Some(format!("{hint} {id}-error")),
        (None, true) => Some(format!("{id}-error")),
        (hint, false) => hint,
    };
    let invalid = error.is_some().then_some("true");
    let error = error.map(|message| {
        view! {
            <p class="error" id=format!("{id}-error")>
                <span class="visually-hidden">"Error: "</span>
                {message}
            </p>
        }
    });
    view! {
        <Labelled id=id.clone() label hint>
            {error}
            <textarea
                id=id
                name=name
                rows="4"
                required=required
                aria-invalid=invalid
                aria-describedby=described
                // Leptos writes a textarea's children unescaped, so the text
                // is escaped here: typed markup must stay text.
                inner_html=html_escape::encode_text(&value).into_owned()
            ></textarea>
        </Labelled>
    }
}

#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    name: &'static str,
    label: &'static str,
    /// The choices as (value sent, label shown).
    options: Vec<(String, String)>,
    /// The value chosen at first.
    #[prop(optional, into)]
    selected: String,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let described = hint_id(&id, hint);
    let options = options
        .into_iter()
        .map(|(value, text)| {
            let chosen = value == selected;
            view! { <option value=value selected=chosen>{text}</option> }
        })
        .collect_view();
    view! {
        <Labelled id=id.clone() label hint>
            <select id=id name=name aria-describedby=described>{options}</select>
        </Labelled>
    }
}

/// Choices for a [`SelectField`] from (value, label) pairs of static text.
pub fn choices<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    pairs.into_iter().map(|(value, label)| (value.to_owned(), label.to_owned())).collect()
}
