//! Holding a final letter back until staff have seen it. A step that ends a
//! request posts its form as usual; the answer is the case page again, with
//! the form as typed and the letter exactly as the customer will receive
//! it. Only a post that carries the token of that very letter sends it: a
//! post that skipped the preview, or changed a field, a version or the
//! letter's wording since, is shown the (new) preview instead.

use app::domain::ReferenceCode;
use app::domain::notices::NoticeChoice;
use app::domain::staff_forms::{FormName, INTENT, LetterPreview, PREVIEW_TOKEN, SEND, StepForm};
use app::domain::workflow::Step;
use axum::response::Response;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::cases::{CaseDesk, CaseError};
use crate::http::AppState;
use crate::http::extract::CaseForm;
use crate::http::pages;
use crate::mail::Composed;
use crate::secret::hex;

/// `None` when the form confirms the letter it was shown; otherwise the
/// preview to show, and nothing is changed.
pub async fn hold(
    desk: &CaseDesk,
    case: &CaseForm<StepForm>,
    version: i64,
    step: &Step,
    choice: &NoticeChoice,
) -> Result<Option<LetterPreview>, CaseError> {
    let Some(letter) = desk.preview_step(&case.viewer, &case.reference, version, step, choice).await? else {
        return Ok(None);
    };
    let token = token(&case.viewer.csrf, &case.reference, &case.body, &letter);
    let shown = case.body.answers.get(PREVIEW_TOKEN);
    let send = case.body.answers.get(INTENT).is_some_and(|intent| intent == SEND);
    if send && shown == Some(&token) {
        return Ok(None);
    }
    Ok(Some(LetterPreview {
        step: step.kind().as_str().to_owned(),
        token,
        changed: send && shown.is_some(),
        ..letter.preview()
    }))
}

/// The case page with the form as typed and the letter it would send.
pub async fn show(state: &AppState, case: CaseForm<StepForm>, preview: LetterPreview) -> Response {
    let mut feedback = case.sent.feedback(FormName::Step, "");
    feedback.preview = Some(preview);
    let page = format!("/staff/requests/{}", case.reference);
    pages::render_at(state, case.sent.into_parts(), &page, move || leptos::prelude::provide_context(feedback.clone()))
        .await
}

/// Binds a preview to the session (keyed by its form token, which only
/// that session's pages carry), the case, the version, every field typed
/// and the letter composed from them. Each part is length-prefixed, so no
/// two different forms run together into the same bytes.
fn token(csrf: &str, reference: &ReferenceCode, form: &StepForm, letter: &Composed) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(csrf.as_bytes()).expect("HMAC takes a key of any length");
    let mut part = |bytes: &[u8]| {
        mac.update(&(bytes.len() as u64).to_be_bytes());
        mac.update(bytes);
    };
    part(reference.as_str().as_bytes());
    part(form.version.as_bytes());
    for (name, value) in form.answers.iter().filter(|(name, _)| !matches!(name.as_str(), PREVIEW_TOKEN | INTENT)) {
        part(name.as_bytes());
        part(value.as_bytes());
    }
    for body in [&letter.subject, &letter.text, &letter.html] {
        part(body.as_bytes());
    }
    hex(&mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(text: &str) -> Composed {
        Composed {
            template: "case_closed",
            subject: "Your request PR-7K4M-9QXR has been closed".into(),
            text: text.into(),
            html: format!("<p>{text}</p>"),
            secrets: Vec::new(),
        }
    }

    fn form(note: &str) -> StepForm {
        let answers = [("step", "close"), ("note", note), (PREVIEW_TOKEN, "whatever"), (INTENT, SEND)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        StepForm { version: "3".into(), answers }
    }

    #[test]
    fn a_token_changes_with_the_session_the_fields_and_the_letter_but_not_the_button() {
        let reference = ReferenceCode::parse("PR-7K4M-9QXR").expect("valid");
        let seen = token("csrf-a", &reference, &form("Duplicate"), &letter("Closed."));
        assert_eq!(seen, token("csrf-a", &reference, &form("Duplicate"), &letter("Closed.")));
        let mut pressed_preview = form("Duplicate");
        pressed_preview.answers.insert(INTENT.into(), "preview".into());
        assert_eq!(seen, token("csrf-a", &reference, &pressed_preview, &letter("Closed.")));
        assert_ne!(seen, token("csrf-b", &reference, &form("Duplicate"), &letter("Closed.")));
        assert_ne!(seen, token("csrf-a", &reference, &form("Duplicated"), &letter("Closed.")));
        assert_ne!(seen, token("csrf-a", &reference, &form("Duplicate"), &letter("Closed!")));
    }
}
