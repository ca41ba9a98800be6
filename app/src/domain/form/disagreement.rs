//! A statement of disagreement with a denial, written on the tracking
//! page: checked here against the word limit of the rules in force, so the
//! page and the server count words alike.

use serde::{Deserialize, Serialize};

use super::FieldErrors;
use super::limits::STATEMENT;
use crate::domain::Language;
use crate::domain::clock::StatementLimit;
use crate::text::tracking;

/// The field the statement is typed into; errors are told beside it.
pub const STATEMENT_FIELD: &str = "statement";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DisagreementForm {
    pub statement: String,
}

/// Words as a reader counts them: runs of text between spaces and line
/// breaks.
fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

impl DisagreementForm {
    /// The statement as it is kept: trimmed, never empty, within `limit`'s
    /// words when a rule sets one. Errors are told in `lang`.
    pub fn parse(&self, limit: Option<&StatementLimit>, lang: Language) -> Result<String, FieldErrors> {
        let statement = self.statement.trim();
        let mut errors = FieldErrors::default();
        let words = word_count(statement);
        if statement.is_empty() {
            errors.insert(STATEMENT_FIELD, tracking::disagreement_missing(lang));
        } else if let Some(limit) = limit.filter(|limit| words > limit.words as usize) {
            let (most, count) = (limit.words.to_string(), words.to_string());
            errors.insert(STATEMENT_FIELD, tracking::disagreement_over_limit(lang, &most, &count));
        } else if statement.chars().count() as u64 > STATEMENT {
            errors.insert(STATEMENT_FIELD, tracking::disagreement_too_long(lang, &STATEMENT.to_string()));
        }
        if errors.0.is_empty() { Ok(statement.to_owned()) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_is_refused_past_the_word_limit_and_kept_trimmed_within_it() {
        let limit = StatementLimit { words: 250, citation: "CCPA 11 CCR 7023(f)(3)".into() };
        let typed = |text: String| DisagreementForm { statement: text }.parse(Some(&limit), Language::En);
        let words = |n: usize| vec!["word"; n].join(" \n");
        assert_eq!(typed(format!("  {}  ", words(250))), Ok(words(250)));
        let refused = typed(words(251)).unwrap_err();
        assert!(refused.get(STATEMENT_FIELD).is_some_and(|e| e.contains("250 words") && e.contains("251")));
        assert!(typed("  ".into()).unwrap_err().get(STATEMENT_FIELD).is_some());
        let unlimited = DisagreementForm { statement: words(251) }.parse(None, Language::En);
        assert_eq!(unlimited, Ok(words(251)), "no rule, no word limit");
        let spanish = DisagreementForm { statement: words(251) }.parse(Some(&limit), Language::Es).unwrap_err();
        assert_eq!(spanish.get(STATEMENT_FIELD), Some("Su declaración debe tener 250 palabras o menos: tiene 251."));
    }
}
