//! The letter editor's data: the customer letters administrators may
//! reword, each one's saved versions, and the wording being edited.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Language;
use super::staff_forms::LetterPreview;

/// The form fields of a letter's wording.
pub const SUBJECT: &str = "subject";
pub const TEXT: &str = "text";
pub const HTML: &str = "html";
/// The version the editor was opened at (0 for the default), so a save
/// made over a colleague's newer one is refused, not silently lost.
pub const BASED_ON: &str = "based_on";

/// The editor's page of `letter` in `lang`: English is the letter's own
/// page, another language the same page with `?lang=`.
pub fn letter_page(letter: &str, lang: Language) -> String {
    match lang {
        Language::En => format!("/staff/letters/{letter}"),
        other => format!("/staff/letters/{letter}?lang={}", other.as_str()),
    }
}

/// One saved version of a letter's wording: who saved it and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub number: i32,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
    /// What it was made from, when it was a restore.
    pub note: Option<String>,
}

/// A letter on the editor's list, with the version in force (`None`:
/// the default words from the template files).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterSummary {
    pub letter: String,
    pub label: String,
    pub current: Option<VersionInfo>,
}

/// A letter open in the editor: its wording in force, its versions newest
/// first, what it must keep saying, and how it reads on a sample request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterEditing {
    pub letter: String,
    pub label: String,
    /// The language of the letter open: each has its own wording.
    pub language: Language,
    /// The languages the letter is written in (staff letters: English).
    pub languages: Vec<Language>,
    /// The version in force; 0 for the default words.
    pub number: i32,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub versions: Vec<VersionInfo>,
    pub required: Vec<String>,
    pub sample: LetterPreview,
}
