//! The letter editor's forms, for administrators: a letter's wording tried
//! on the sample request, saved as its newest version, or an earlier
//! version restored. A refused wording comes back as typed, with why beside
//! the part it is in. Each language of a letter is edited on its own page
//! (`?lang=es`); English is the page without one.

use app::domain::Language;
use app::domain::staff_forms::{DoneCode, FormName, LetterForm, RestoreLetterForm, StaffFeedback};
use app::domain::wording::{HTML, SUBJECT, TEXT, letter_page};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::http::extract::{Sent, StaffForm};
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError, pages};
use crate::mail::editor::EditorError;
use crate::mail::letters::Part;
use crate::mail::wording::Wording;

/// The [`LetterForm`] intent that saves; any other previews.
const SAVE: &str = "save";

pub fn routes() -> Routes {
    Routes::new().post("/staff/letters/{letter}", edit).post("/staff/letters/{letter}/restore", restore)
}

/// Which language of the letter a form is about: `?lang=es`, English
/// without one (or with a code the portal does not speak).
#[derive(serde::Deserialize)]
struct InLanguage {
    lang: Option<String>,
}

impl InLanguage {
    fn language(&self) -> Language {
        self.lang.as_deref().and_then(Language::parse).unwrap_or(Language::En)
    }
}

/// The editor's page after a save or restore, with what was done.
fn done_at(letter: &str, lang: Language, done: DoneCode) -> Redirect {
    let page = letter_page(letter, lang);
    let join = if page.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{page}{join}done={done}"))
}

async fn edit(
    State(state): State<AppState>,
    Path(letter): Path<String>,
    Query(asked): Query<InLanguage>,
    form: StaffForm<LetterForm>,
) -> Result<Response, HttpError> {
    let StaffForm { viewer, body, sent } = form;
    let lang = asked.language();
    let wording = Wording { subject: body.subject, text: body.text, html: body.html };
    if body.intent == SAVE {
        // An unreadable version is no version: the save is refused as stale.
        let based_on = body.based_on.parse().unwrap_or(-1);
        return match state.letters.save(&viewer, (&letter, lang), based_on, &wording, None).await {
            Ok(_) => Ok(done_at(&letter, lang, DoneCode::LetterSaved).into_response()),
            Err(error) => refuse(&state, sent, (&letter, lang), FormName::Letter, error).await,
        };
    }
    match state.letters.try_wording(&letter, lang, &wording) {
        Ok(preview) => {
            let mut feedback = sent.feedback(FormName::Letter, "");
            feedback.preview = Some(preview);
            Ok(show(&state, sent, (&letter, lang), feedback, StatusCode::OK).await)
        }
        Err(error) => refuse(&state, sent, (&letter, lang), FormName::Letter, error).await,
    }
}

async fn restore(
    State(state): State<AppState>,
    Path(letter): Path<String>,
    Query(asked): Query<InLanguage>,
    form: StaffForm<RestoreLetterForm>,
) -> Result<Response, HttpError> {
    let StaffForm { viewer, body, sent } = form;
    let lang = asked.language();
    let (Ok(number), Ok(based_on)) = (body.number.parse(), body.based_on.parse()) else {
        return refuse(&state, sent, (&letter, lang), FormName::RestoreLetter, EditorError::Conflict).await;
    };
    match state.letters.restore(&viewer, (&letter, lang), number, based_on).await {
        Ok(_) => Ok(done_at(&letter, lang, DoneCode::LetterRestored).into_response()),
        Err(error) => refuse(&state, sent, (&letter, lang), FormName::RestoreLetter, error).await,
    }
}

/// The editor again, with what was typed and why it was refused.
async fn refuse(
    state: &AppState,
    sent: Sent,
    letter: (&str, Language),
    form: FormName,
    error: EditorError,
) -> Result<Response, HttpError> {
    let (status, message, problems) = match error {
        EditorError::Unknown => return Err(HttpError::Forbidden),
        EditorError::Conflict => (StatusCode::CONFLICT, EditorError::Conflict.to_string(), Vec::new()),
        EditorError::Refused(problems) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "This wording cannot be used as it is: see beside each part.".to_owned(),
            problems,
        ),
        error @ EditorError::Database(_) => return Err(error.into()),
    };
    let mut feedback = sent.feedback(form, message);
    for (part, problem) in problems {
        let field = match part {
            Part::Subject => SUBJECT,
            Part::Text => TEXT,
            Part::Html => HTML,
        };
        feedback.field_errors.insert(field.to_owned(), problem);
    }
    Ok(show(state, sent, letter, feedback, status).await)
}

async fn show(
    state: &AppState,
    sent: Sent,
    (letter, lang): (&str, Language),
    feedback: StaffFeedback,
    status: StatusCode,
) -> Response {
    let mut page = pages::render_at(state, sent.into_parts(), &letter_page(letter, lang), move || {
        leptos::prelude::provide_context(feedback.clone())
    })
    .await;
    *page.status_mut() = status;
    page
}
