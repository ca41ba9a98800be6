//! The letter editor's work: the list of customer letters, one letter's
//! wording and versions, a wording tried on the sample request, and saving
//! or restoring a version, each save in the audit log in its own
//! transaction. A wording is saved only once it renders on the sample and
//! still says everything [`super::requirements`] asks of its letter.

use app::domain::staff_forms::LetterPreview;
use app::domain::wording::{LetterEditing, LetterSummary, VersionInfo};
use app::domain::{Language, SiteInfo, Viewer};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use super::letters::{Part, WordingError};
use super::samples::Sample;
use super::templates::written_in;
use super::wording::{self, InForce, Wording};
use super::{Composed, Mailer, requirements};
use crate::audit;
use crate::db::entities::letter_version;
use crate::staff::actor;

/// The longest template part an administrator may save.
const PART_LIMIT: usize = 100_000;

#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    #[error("no such letter")]
    Unknown,
    #[error(
        "Someone saved another version of this letter while you were editing it, so yours was not saved. The \
         editor now shows theirs; your words are below it to copy from."
    )]
    Conflict,
    /// The wording cannot be saved, with why, by part.
    #[error("the wording was refused")]
    Refused(Vec<(Part, String)>),
    #[error(transparent)]
    Database(#[from] DbErr),
}

#[derive(Clone)]
pub struct LetterEditor {
    db: DatabaseConnection,
    mailer: Mailer,
    in_force: InForce,
    org: SiteInfo,
}

impl LetterEditor {
    pub fn new(db: DatabaseConnection, mailer: Mailer, in_force: InForce, org: SiteInfo) -> Self {
        Self { db, mailer, in_force, org }
    }

    /// Every letter administrators may reword, with its English version in
    /// force.
    pub async fn list(&self) -> Result<Vec<LetterSummary>, DbErr> {
        let rows = letter_version::Entity::find()
            .filter(letter_version::Column::Language.eq(Language::En.as_str()))
            .order_by_asc(letter_version::Column::Number)
            .all(&self.db)
            .await?;
        Ok(wording::EDITABLE
            .iter()
            .map(|(letter, label)| LetterSummary {
                letter: (*letter).to_owned(),
                label: (*label).to_owned(),
                current: rows.iter().rev().find(|row| row.letter == *letter).map(info),
            })
            .collect())
    }

    /// One letter in `lang` as the editor opens it.
    pub async fn open(&self, letter: &str, lang: Language) -> Result<LetterEditing, EditorError> {
        let label = wording::label_of(letter).ok_or(EditorError::Unknown)?;
        let lang = written_in(letter, lang);
        let rows = self.versions(letter, lang).await?;
        let (number, wording) = match rows.first() {
            Some(row) => (row.number, stored(row)),
            None => (0, self.default_wording(letter, lang)?),
        };
        let default = self.sample(letter, lang, None)?;
        let sample = self.sample(letter, lang, Some(&wording)).unwrap_or_else(|_| default.clone());
        Ok(LetterEditing {
            letter: letter.to_owned(),
            label: label.to_owned(),
            language: lang,
            languages: Language::ALL.iter().copied().filter(|&other| written_in(letter, other) == other).collect(),
            number,
            subject: wording.subject,
            text: wording.text,
            html: wording.html,
            versions: rows.iter().map(info).collect(),
            required: requirements::described(letter, lang, &self.org, &default),
            sample: sample.preview(),
        })
    }

    /// `wording` of the letter in `lang` composed on the sample request, or
    /// why it cannot be saved.
    pub fn try_wording(&self, letter: &str, lang: Language, wording: &Wording) -> Result<LetterPreview, EditorError> {
        wording::label_of(letter).ok_or(EditorError::Unknown)?;
        if written_in(letter, lang) != lang {
            return Err(EditorError::Unknown);
        }
        let mut problems = Vec::new();
        for (part, source) in
            [(Part::Subject, &wording.subject), (Part::Text, &wording.text), (Part::Html, &wording.html)]
        {
            if source.trim().is_empty() {
                problems.push((part, "Write this part of the letter: it cannot be empty.".to_owned()));
            } else if source.chars().count() > PART_LIMIT {
                problems.push((part, "That is too long: keep each part under 100,000 characters.".to_owned()));
            } else if source.contains("autoescape") {
                problems.push((
                    part,
                    "Escaping cannot be switched off: what customers and staff type must stay escaped.".to_owned(),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(EditorError::Refused(problems));
        }
        let candidate = self.sample(letter, lang, Some(wording))?;
        let default = self.sample(letter, lang, None)?;
        let short = requirements::shortfalls(letter, lang, &self.org, &default, &candidate);
        if short.is_empty() { Ok(candidate.preview()) } else { Err(EditorError::Refused(short)) }
    }

    /// Saves `wording` as the newest version of the letter in `lang`, if
    /// that is still at version `based_on` (0: never changed) and the
    /// wording passes.
    pub async fn save(
        &self,
        by: &Viewer,
        (letter, lang): (&str, Language),
        based_on: i32,
        wording: &Wording,
        note: Option<String>,
    ) -> Result<i32, EditorError> {
        self.try_wording(letter, lang, wording)?;
        let txn = self.db.begin().await?;
        let newest = letter_version::Entity::find()
            .filter(letter_version::Column::Letter.eq(letter))
            .filter(letter_version::Column::Language.eq(lang.as_str()))
            .order_by_desc(letter_version::Column::Number)
            .one(&txn)
            .await?
            .map_or(0, |row| row.number);
        if newest != based_on {
            return Err(EditorError::Conflict);
        }
        let number = newest + 1;
        letter_version::ActiveModel {
            letter: Set(letter.to_owned()),
            language: Set(lang.as_str().to_owned()),
            number: Set(number),
            subject: Set(wording.subject.clone()),
            text_body: Set(wording.text.clone()),
            html_body: Set(wording.html.clone()),
            saved_at: Set(Utc::now()),
            saved_by: Set(Some(by.id)),
            saved_by_name: Set(by.name.clone()),
            note: Set(note.clone()),
            ..Default::default()
        }
        .insert(&txn)
        .await
        // Another save of the same number, committed first: the unique
        // index makes it a conflict rather than a fork.
        .map_err(|error| if newest_taken(&error) { EditorError::Conflict } else { error.into() })?;
        let detail = serde_json::json!({ "letter": letter, "language": lang, "version": number, "note": note });
        audit::append(&txn, &actor(by), "letter.saved", None, detail).await?;
        txn.commit().await?;
        self.in_force.refresh(&self.db).await?;
        Ok(number)
    }

    /// Saves version `number` (0: the default words) of the letter in
    /// `lang` again as its newest.
    pub async fn restore(
        &self,
        by: &Viewer,
        (letter, lang): (&str, Language),
        number: i32,
        based_on: i32,
    ) -> Result<i32, EditorError> {
        let (wording, note) = if number == 0 {
            (self.default_wording(letter, lang)?, "Restored the default words".to_owned())
        } else {
            let row = self.versions(letter, lang).await?.into_iter().find(|row| row.number == number);
            (stored(&row.ok_or(EditorError::Unknown)?), format!("Restored version {number}"))
        };
        self.save(by, (letter, lang), based_on, &wording, Some(note)).await
    }

    async fn versions(&self, letter: &str, lang: Language) -> Result<Vec<letter_version::Model>, DbErr> {
        letter_version::Entity::find()
            .filter(letter_version::Column::Letter.eq(letter))
            .filter(letter_version::Column::Language.eq(lang.as_str()))
            .order_by_desc(letter_version::Column::Number)
            .all(&self.db)
            .await
    }

    fn default_wording(&self, letter: &str, lang: Language) -> Result<Wording, EditorError> {
        self.mailer.letters().default_wording(letter, lang).ok_or(EditorError::Unknown)
    }

    /// The letter in `lang` on the sample request, in `wording` or the
    /// default words.
    fn sample(&self, letter: &str, lang: Language, wording: Option<&Wording>) -> Result<Composed, EditorError> {
        let sample = Sample::new(lang);
        let on_sample = sample.letter(letter).ok_or(EditorError::Unknown)?;
        self.mailer
            .letters()
            .compose_with(&on_sample, lang, false, wording)
            .map_err(|WordingError { part, source }| EditorError::Refused(vec![(part, explain(&source))]))
    }
}

fn info(row: &letter_version::Model) -> VersionInfo {
    VersionInfo {
        number: row.number,
        saved_by: row.saved_by_name.clone(),
        saved_at: row.saved_at,
        note: row.note.clone(),
    }
}

fn stored(row: &letter_version::Model) -> Wording {
    Wording { subject: row.subject.clone(), text: row.text_body.clone(), html: row.html_body.clone() }
}

/// A template error in words for the person who typed the template.
fn explain(error: &minijinja::Error) -> String {
    if error.kind() == minijinja::ErrorKind::UnknownFilter && error.to_string().contains("safe") {
        return "The “safe” filter is not available: what customers and staff type is always escaped.".to_owned();
    }
    let at = error.line().map(|line| format!(" (line {line})")).unwrap_or_default();
    let detail = error.detail().map_or_else(|| error.kind().to_string(), str::to_owned);
    format!("This template does not work on the sample request{at}: {detail}.")
}

fn newest_taken(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
