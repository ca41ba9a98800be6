//! How long a statement of disagreement with a denial may be: a number per
//! regime, kept with the clocks in rules.toml so counsel can change it and
//! see its citation, the shortest of the regimes in force winning.

use serde::{Deserialize, Serialize};

use super::rules::Regime;

/// One regime's limit on a statement of disagreement.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatementRule {
    pub(super) id: String,
    pub(super) regime: Regime,
    pub(super) citation: String,
    pub(super) words: u32,
}

/// The limit in force, with the rule that sets it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLimit {
    pub words: u32,
    pub citation: String,
}

/// The shortest limit of `rules`, if any rule sets one.
pub(super) fn shortest(rules: &[StatementRule]) -> Option<StatementLimit> {
    rules
        .iter()
        .min_by_key(|rule| rule.words)
        .map(|rule| StatementLimit { words: rule.words, citation: rule.citation.clone() })
}
