//! The letter editor, for administrators: the customer letters, and for
//! each its wording (subject, plain-text and HTML templates), a preview on
//! a sample request, what it must keep saying, and every saved version,
//! each restorable. The template files stay the defaults. A customer
//! letter has a wording per language, each edited on its own page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{FormAlert, InputField, StaffForm, TextAreaField};
use crate::domain::Language;
use crate::domain::access::Viewer;
use crate::domain::format::utc_moment;
use crate::domain::staff_forms::{FormName, INTENT, LetterPreview, StaffFeedback};
use crate::domain::wording::{BASED_ON, HTML, LetterEditing, LetterSummary, SUBJECT, TEXT, VersionInfo, letter_page};
use crate::services::{load_letter, load_letters};

use super::frame::viewer;
use super::{Done, letter_panes, refusal_for, staff_feedback, staff_view, typed};

pub const PAGE: &str = "/staff/letters";

#[component]
pub fn LettersPage() -> impl IntoView {
    let viewer = viewer();
    let data = Resource::new(|| (), |_| load_letters());
    view! {
        <Title text="Letters"/>
        <div class="wrap wide">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    staff_view(viewer.await, data.await, |_, letters| view! { <Letters letters/> }.into_any())
                })}
            </Suspense>
        </div>
    }
}

fn version_text(version: Option<&VersionInfo>) -> String {
    version.map_or_else(
        || "Default words".to_owned(),
        |v| format!("Version {}, saved by {} on {}", v.number, v.saved_by, utc_moment(v.saved_at)),
    )
}

#[component]
fn Letters(letters: Vec<LetterSummary>) -> impl IntoView {
    let rows = letters
        .into_iter()
        .map(|letter| {
            let state = version_text(letter.current.as_ref());
            view! {
                <li>
                    // A full page load, not the router's: the editor's page
                    // answer carries the policy that lets its sample letter
                    // keep its styles, which a page drawn in the browser
                    // cannot change.
                    <a href=format!("{PAGE}/{}", letter.letter) rel="external">{letter.label}</a>
                    <span class="hint">" – " {state}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>"Letters"</h1>
        <p class="lead">
            "The words of each letter customers receive. A change applies to the next letter of its kind; every "
            "version is kept and can be restored, and the words shipped with the portal stay the default."
        </p>
        <ul class="letter-list" id="letters">{rows}</ul>
    }
}

#[component]
pub fn LetterEditorPage() -> impl IntoView {
    let viewer = viewer();
    let feedback = staff_feedback();
    let params = use_params_map();
    let query = use_query_map();
    let letter = move || params.read().get("letter").unwrap_or_default();
    let lang = move || query.read().get("lang").as_deref().and_then(Language::parse).unwrap_or(Language::En);
    let data = Resource::new(move || (letter(), lang()), |(letter, lang)| load_letter(letter, Some(lang)));
    view! {
        <Title text="Edit a letter"/>
        <div class="wrap wide">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || {
                    let feedback = feedback.clone();
                    Suspend::new(async move {
                        staff_view(viewer.await, data.await, |viewer, editing| {
                            view! { <Editor viewer editing feedback/> }.into_any()
                        })
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Editor(viewer: Viewer, editing: LetterEditing, feedback: StaffFeedback) -> impl IntoView {
    let action = letter_page(&editing.letter, editing.language);
    let (path, query) = action.split_once('?').map_or((action.as_str(), String::new()), |(p, q)| (p, format!("?{q}")));
    let restore_action = format!("{path}/restore{query}");
    let other_languages = editing
        .languages
        .iter()
        .filter(|&&other| other != editing.language)
        .map(|&other| {
            // A full page load, as from the list: the page's policy carries
            // the sample letter's styles.
            view! {
                " · "
                <a href=letter_page(&editing.letter, other) rel="external">
                    {format!("{} version", other.staff_label())}
                </a>
            }
        })
        .collect_view();
    let errors = feedback.field_errors.clone();
    let refused = feedback.form == Some(FormName::Letter);
    let field_error = move |field: &str| errors.get(field).filter(|_| refused).cloned();
    // What the preview shows: the wording just tried, or the one in force.
    let (preview, tried) = match feedback.preview.clone().filter(|_| feedback.form == Some(FormName::Letter)) {
        Some(preview) => (preview, true),
        None => (editing.sample.clone(), false),
    };
    let required = editing.required.into_iter().map(|what| view! { <li>{what}</li> }).collect_view();
    let versions = editing
        .versions
        .iter()
        .map(|version| (version.number, version_text(Some(version)), version.note.clone()))
        .chain((editing.number != 0).then(|| (0, "The default words, from the template files".to_owned(), None)))
        .map(|(number, what, note)| {
            let current = number == editing.number;
            let label = format!(" {what}");
            let button = (!current).then(|| {
                view! {
                    <StaffForm
                        action=restore_action.clone()
                        name=FormName::RestoreLetter.as_str()
                        csrf=viewer.csrf.clone()
                        class="inline-form"
                    >
                        <input type="hidden" name="number" value=number.to_string()/>
                        <input type="hidden" name=BASED_ON value=editing.number.to_string()/>
                        <button type="submit" class="button secondary small">
                            "Restore" <span class="visually-hidden">{label}</span>
                        </button>
                    </StaffForm>
                }
            });
            view! {
                <li id=format!("version-{number}")>
                    {what} {note.map(|note| format!(" ({note})"))} {current.then_some(" – in force")} {button}
                </li>
            }
        })
        .collect_view();
    let restore_refusal = refusal_for(&feedback, FormName::RestoreLetter);
    let (subject, text, html) = (
        typed(&feedback, FormName::Letter, SUBJECT, editing.subject),
        typed(&feedback, FormName::Letter, TEXT, editing.text),
        typed(&feedback, FormName::Letter, HTML, editing.html),
    );
    let letter_refusal = refusal_for(&feedback, FormName::Letter);
    view! {
        <p class="back"><a href=PAGE>"Back to the letters"</a></p>
        <h1>{editing.label}</h1>
        <p class="hint" id="letter-language">
            {format!("{} version", editing.language.staff_label())}
            {other_languages}
        </p>
        <Done/>
        <section class="action-card" aria-labelledby="required-title">
            <h2 id="required-title">"What this letter must keep saying"</h2>
            <p class="hint">"A version that leaves any of these out is not saved."</p>
            <ul id="letter-required">{required}</ul>
        </section>
        <section class="action-card" aria-labelledby="wording-title">
            <h2 id="wording-title">"Wording"</h2>
            <p class="hint">
                "Templates: a value is written {{ name }}, and what customers and staff type is always escaped. "
                "Try a change on the sample request before saving it."
            </p>
            <StaffForm
                action=action
                name=FormName::Letter.as_str()
                csrf=viewer.csrf.clone()
                refusal=letter_refusal
                id="form-letter"
                class="staff-form template-form"
            >
                <input type="hidden" name=BASED_ON value=editing.number.to_string()/>
                <InputField
                    id="letter-subject"
                    name=SUBJECT
                    label="Subject"
                    hint="{{ subject }} is the portal's own subject for this letter."
                    required=true
                    value=subject
                    error=field_error(SUBJECT)
                />
                <TextAreaField
                    id="letter-text"
                    name=TEXT
                    label="Plain-text letter"
                    required=true
                    value=text
                    error=field_error(TEXT)
                />
                <TextAreaField
                    id="letter-html"
                    name=HTML
                    label="HTML letter"
                    required=true
                    value=html
                    error=field_error(HTML)
                />
                <div class="letter-buttons">
                    <button type="submit" name=INTENT value="preview" class="button secondary">
                        "Preview on the sample request"
                    </button>
                    <button type="submit" name=INTENT value="save" class="button">"Save this version"</button>
                </div>
            </StaffForm>
        </section>
        <SamplePreview preview tried/>
        <section class="action-card" aria-labelledby="versions-title">
            <h2 id="versions-title">"Versions"</h2>
            {restore_refusal.map(|message| view! { <FormAlert message lead="Not restored."/> })}
            <ul class="letter-versions" id="letter-versions">{versions}</ul>
        </section>
    }
}

/// The letter on the sample request, in a sandboxed frame.
#[component]
fn SamplePreview(preview: LetterPreview, tried: bool) -> impl IntoView {
    let heading = if tried { "Your wording, on the sample request (not saved yet)" } else { "On the sample request" };
    view! {
        <section
            class="action-card letter-preview"
            id="letter-preview"
            aria-labelledby="letter-preview-title"
            tabindex="-1"
            autofocus=tried
        >
            <h2 id="letter-preview-title">{heading}</h2>
            {letter_panes(&preview, false)}
        </section>
    }
}
