//! The appeal of a refusal, written on the refused request's tracking
//! page: why the customer thinks the decision is wrong, and which state's
//! law they appeal under (whose Attorney General a denial names).

use serde::{Deserialize, Serialize};

use super::FieldErrors;
use super::limits::LONG_TEXT;
use crate::domain::Language;
use crate::domain::clock::Regime;
use crate::text::tracking;

/// The fields the appeal is typed into; errors are told beside them.
pub const GROUNDS_FIELD: &str = "grounds";
pub const STATE_FIELD: &str = "state";
/// What the state select sends for "another state, or I'd rather not say".
pub const NO_STATE: &str = "other";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppealForm {
    pub state: String,
    pub grounds: String,
}

impl AppealForm {
    /// The appeal as it is kept: the grounds trimmed and never empty; the
    /// state one of `offered` (the laws in force with an appeal), or none.
    /// Errors are told in `lang`.
    pub fn parse(&self, offered: &[Regime], lang: Language) -> Result<(Option<Regime>, String), FieldErrors> {
        let mut errors = FieldErrors::default();
        let grounds = self.grounds.trim();
        if grounds.is_empty() {
            errors.insert(GROUNDS_FIELD, tracking::appeal_missing(lang));
        } else if grounds.chars().count() as u64 > LONG_TEXT {
            errors.insert(GROUNDS_FIELD, tracking::appeal_too_long(lang, &LONG_TEXT.to_string()));
        }
        let state = match self.state.trim() {
            "" | NO_STATE => None,
            key => match Regime::parse(key).filter(|regime| offered.contains(regime)) {
                Some(regime) => Some(regime),
                None => {
                    errors.insert(STATE_FIELD, tracking::appeal_unknown_state(lang));
                    None
                }
            },
        };
        if errors.is_empty() { Ok((state, grounds.to_owned())) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_appeal_needs_its_grounds_and_a_state_offered_or_none() {
        let offered = [Regime::VaCdpa, Regime::CoCpa];
        let form = |state: &str, grounds: &str| AppealForm { state: state.into(), grounds: grounds.into() };
        let typed = |state: &str, grounds: &str| form(state, grounds).parse(&offered, Language::En);
        assert_eq!(
            typed("va_cdpa", "  My insurer agrees with me. "),
            Ok((Some(Regime::VaCdpa), "My insurer agrees with me.".into()))
        );
        assert_eq!(typed(NO_STATE, "Wrong"), Ok((None, "Wrong".into())));
        assert!(typed("ct_dpa", "Wrong").unwrap_err().get(STATE_FIELD).is_some(), "a law not in force");
        assert!(typed("hipaa", "Wrong").unwrap_err().get(STATE_FIELD).is_some(), "no appeal under it");
        assert_eq!(typed("", "Wrong"), Ok((None, "Wrong".into())), "the state is the customer's to give or not");
        assert!(typed("va_cdpa", "  ").unwrap_err().get(GROUNDS_FIELD).is_some());
        assert!(typed("va_cdpa", &"x".repeat(4001)).unwrap_err().get(GROUNDS_FIELD).is_some());
        let spanish = form("ct_dpa", " ").parse(&offered, Language::Es).unwrap_err();
        assert_eq!(spanish.get(GROUNDS_FIELD), Some("Díganos por qué cree que nuestra decisión es incorrecta."));
        assert_eq!(spanish.get(STATE_FIELD), Some("Elija uno de los estados de la lista u «Otro estado»."));
    }
}
