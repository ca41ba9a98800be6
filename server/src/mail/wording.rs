//! Customer letters' wording as administrators change it in the portal.
//! The template files stay the defaults; a letter with saved versions in a
//! language is written in that language from its newest. Each language of
//! a letter has its own versions: rewording one never changes another. Every instance keeps the versions in force in
//! memory and looks for a newer one with one indexed `MAX(id)` every
//! [`REFRESH`] (the instance that saves looks at once), so sending never
//! waits on the database for its wording.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use app::domain::Language;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryOrder, QuerySelect};

use crate::db::entities::letter_version;

/// How often an instance looks for wording saved by another.
pub const REFRESH: std::time::Duration = std::time::Duration::from_secs(2);

/// The customer letters administrators may reword, by template name, with
/// the name the editor lists them under. Staff letters (the invitation,
/// the digest, the customer's reply) are the portal's own.
pub const EDITABLE: &[(&str, &str)] = &[
    ("receipt", "Receipt of a request"),
    ("verification", "Please confirm your email address"),
    ("tracking_link", "Your private link, sent again"),
    ("confirm_action", "Please confirm an action taken through an old link"),
    ("confirm_revocation", "Please confirm the revocation of an opt-out"),
    ("awaiting_customer", "We need information from you"),
    ("case_message", "A message from staff"),
    ("extension", "We need more time (extension notice)"),
    ("opt_out_applied", "Opt-out applied"),
    ("amendment_accepted", "Amendment accepted, in whole or in part"),
    ("amendment_denied", "Amendment denied (the HIPAA denial letter)"),
    ("amendment_notice", "Notice of an amended record, to those told"),
    ("complaint_resolved", "Complaint resolved"),
    ("appeal_granted", "Appeal granted"),
    ("appeal_denied", "Appeal denied (names the Attorney General)"),
    ("case_closed", "Request closed"),
    ("closed_unverified", "Request closed: email address never confirmed"),
    ("withdrawn", "Request withdrawn"),
];

/// The label of an editable letter; `None` for any other name.
pub fn label_of(letter: &str) -> Option<&'static str> {
    EDITABLE.iter().find(|(name, _)| *name == letter).map(|(_, label)| *label)
}

/// One letter's wording: its subject, plain-text and HTML templates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wording {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The subject template of a letter whose subject nobody changed: the
/// portal's own subject, which every letter's context carries.
pub const DEFAULT_SUBJECT: &str = "{{ subject }}";

/// The versions in force on this instance, shared by every composer.
#[derive(Clone, Default)]
pub struct InForce(Arc<RwLock<Arc<Snapshot>>>);

#[derive(Default)]
struct Snapshot {
    /// The newest version id seen; `None` before the first look.
    stamp: Option<Option<i64>>,
    by_letter: HashMap<(String, Language), Arc<Wording>>,
}

impl InForce {
    /// The saved wording of `letter` in `lang`, if an administrator
    /// changed it.
    pub fn get(&self, letter: &str, lang: Language) -> Option<Arc<Wording>> {
        self.snapshot().by_letter.get(&(letter.to_owned(), lang)).cloned()
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        // A poisoned lock only means a writer panicked between two whole
        // snapshots: the one there is still whole.
        self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Loads the newest version of every letter, when any was saved since
    /// the last look.
    pub async fn refresh(&self, db: &DatabaseConnection) -> Result<(), DbErr> {
        let stamp: Option<i64> = letter_version::Entity::find()
            .select_only()
            .column_as(letter_version::Column::Id.max(), "stamp")
            .into_tuple::<Option<i64>>()
            .one(db)
            .await?
            .flatten();
        if self.snapshot().stamp == Some(stamp) {
            return Ok(());
        }
        let mut by_letter = HashMap::new();
        for row in letter_version::Entity::find().order_by_asc(letter_version::Column::Number).all(db).await? {
            // A language the portal no longer speaks writes no letter.
            let Some(lang) = Language::parse(&row.language) else { continue };
            let wording = Wording { subject: row.subject, text: row.text_body, html: row.html_body };
            by_letter.insert((row.letter, lang), Arc::new(wording));
        }
        let fresh = Arc::new(Snapshot { stamp: Some(stamp), by_letter });
        *self.0.write().unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
        Ok(())
    }
}
