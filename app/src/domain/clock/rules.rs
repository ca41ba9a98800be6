//! Which clocks the law sets, kept as data (rules.toml) because every
//! number is a default the organisation must be able to change, and because
//! the organisation decides which regimes it answers to.

use serde::Deserialize;

use super::appeals::AttorneyGeneral;
use super::retention::RetentionRule;
use super::span::Span;
use super::statements::{self, StatementLimit, StatementRule};
use crate::domain::RequestKind;

named_enum! {
    /// A body of law whose clocks the organisation may choose to follow.
    Regime {
        Glba => "glba",
        Hipaa => "hipaa",
        Ccpa => "ccpa",
        Gdpr => "gdpr",
        VaCdpa => "va_cdpa",
        CoCpa => "co_cpa",
        CtDpa => "ct_dpa",
    }
}

impl Regime {
    /// The name compliance teams and the regulations' own readers use.
    pub fn label(self) -> &'static str {
        match self {
            Self::Glba => "GLBA",
            Self::Hipaa => "HIPAA",
            Self::Ccpa => "CCPA",
            Self::Gdpr => "GDPR",
            Self::VaCdpa => "Virginia CDPA",
            Self::CoCpa => "Colorado CPA",
            Self::CtDpa => "Connecticut CTDPA",
        }
    }
}

/// One regime's clock for one kind of request.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Rule {
    pub(super) id: String,
    regime: Regime,
    pub(super) kind: RequestKind,
    pub(super) citation: String,
    pub(super) acknowledge: Option<Span>,
    pub(super) respond: Span,
    pub(super) pauses_while_waiting: bool,
    pub(super) extension: Option<ExtensionRule>,
}

#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExtensionRule {
    pub(super) by: Span,
    pub(super) notice_required: bool,
}

/// The clocks in force: checked once when parsed, so the arithmetic can
/// trust every rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rules {
    rules: Vec<Rule>,
    retention: Vec<RetentionRule>,
    statements: Vec<StatementRule>,
    appeals: Vec<AttorneyGeneral>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    rule: Vec<Rule>,
    /// A file without retention rules keeps every record: the portal
    /// deletes nothing that no rule lets it delete.
    #[serde(default)]
    retention: Vec<RetentionRule>,
    /// Without them, a statement of disagreement is only as long as a
    /// customer form's longest text.
    #[serde(default)]
    statement: Vec<StatementRule>,
    /// Without them, a denied appeal's letter names no Attorney General.
    #[serde(default)]
    appeal: Vec<AttorneyGeneral>,
}

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("the clock rules are not valid TOML of the expected shape: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("a clock rule has a blank {field}")]
    Blank { field: &'static str },
    #[error("two clock rules share the id {0:?}")]
    DuplicateId(String),
    #[error("two {regime} clock rules apply to {kind} requests; keep one")]
    DuplicateRule { regime: Regime, kind: RequestKind },
    #[error("a retention rule has a blank {field}")]
    RetentionBlank { field: &'static str },
    #[error("two retention rules share the id {0:?}")]
    RetentionDuplicateId(String),
    #[error("two {regime} retention rules apply to {kind} requests; keep one")]
    RetentionDuplicateRule { regime: Regime, kind: RequestKind },
    #[error("a statement rule has a blank citation or no words")]
    StatementBlank,
    #[error("two {0} statement rules; keep one")]
    StatementDuplicate(Regime),
    #[error("an appeal office has a blank state, office or address")]
    AppealBlank,
    #[error("two {0} appeal offices; keep one")]
    AppealDuplicate(Regime),
}

impl Rules {
    /// Parses and checks rules written like rules.toml.
    pub fn from_toml(text: &str) -> Result<Self, RulesError> {
        let RulesFile { rule: rules, retention, statement: statements, appeal: appeals } = toml::from_str(text)?;
        for (index, rule) in rules.iter().enumerate() {
            if rule.id.trim().is_empty() {
                return Err(RulesError::Blank { field: "id" });
            }
            if rule.citation.trim().is_empty() {
                return Err(RulesError::Blank { field: "citation" });
            }
            let earlier = &rules[..index];
            if earlier.iter().any(|other| other.id == rule.id) {
                return Err(RulesError::DuplicateId(rule.id.clone()));
            }
            // One rule per regime and kind, so "earliest rule wins" compares
            // regimes rather than two opinions of the same law.
            if earlier.iter().any(|other| other.regime == rule.regime && other.kind == rule.kind) {
                return Err(RulesError::DuplicateRule { regime: rule.regime, kind: rule.kind });
            }
        }
        for (index, rule) in retention.iter().enumerate() {
            if rule.id.trim().is_empty() {
                return Err(RulesError::RetentionBlank { field: "id" });
            }
            if rule.citation.trim().is_empty() {
                return Err(RulesError::RetentionBlank { field: "citation" });
            }
            let earlier = &retention[..index];
            if earlier.iter().any(|other| other.id == rule.id) {
                return Err(RulesError::RetentionDuplicateId(rule.id.clone()));
            }
            if earlier.iter().any(|other| other.regime == rule.regime && other.kind == rule.kind) {
                return Err(RulesError::RetentionDuplicateRule { regime: rule.regime, kind: rule.kind });
            }
        }
        for (index, rule) in statements.iter().enumerate() {
            if rule.id.trim().is_empty() || rule.citation.trim().is_empty() || rule.words == 0 {
                return Err(RulesError::StatementBlank);
            }
            if statements[..index].iter().any(|other| other.regime == rule.regime || other.id == rule.id) {
                return Err(RulesError::StatementDuplicate(rule.regime));
            }
        }
        for (index, office) in appeals.iter().enumerate() {
            if [&office.state, &office.office, &office.url].iter().any(|text| text.trim().is_empty()) {
                return Err(RulesError::AppealBlank);
            }
            if appeals[..index].iter().any(|other| other.regime == office.regime) {
                return Err(RulesError::AppealDuplicate(office.regime));
            }
        }
        Ok(Self { rules, retention, statements, appeals })
    }

    /// Only the rules of the regimes the organisation answers to.
    pub fn for_regimes(&self, enabled: &[Regime]) -> Self {
        let rules = self.rules.iter().filter(|rule| enabled.contains(&rule.regime)).cloned().collect();
        let retention = self.retention.iter().filter(|rule| enabled.contains(&rule.regime)).cloned().collect();
        let statements = self.statements.iter().filter(|rule| enabled.contains(&rule.regime)).cloned().collect();
        let appeals = self.appeals.iter().filter(|office| enabled.contains(&office.regime)).cloned().collect();
        Self { rules, retention, statements, appeals }
    }

    /// Whether a refused request may be appealed: only where a law in
    /// force sets an appeal's clock, so that every appeal has a deadline.
    pub fn appeals_offered(&self) -> bool {
        self.for_kind(RequestKind::Appeal).next().is_some()
    }

    /// The Attorneys General of the state laws in force, in the file's
    /// order: the states an appeal form offers and a denial names.
    pub fn attorneys_general(&self) -> &[AttorneyGeneral] {
        &self.appeals
    }

    /// How long a statement of disagreement may be under the regimes in
    /// force: the shortest limit wins, so the 250 words of the CCPA rule
    /// hold wherever it applies.
    pub fn statement_limit(&self) -> Option<StatementLimit> {
        statements::shortest(&self.statements)
    }

    /// The regimes with a rule in force, in the order `Regime::ALL` gives.
    pub fn regimes(&self) -> Vec<Regime> {
        Regime::ALL.iter().copied().filter(|regime| self.rules.iter().any(|rule| rule.regime == *regime)).collect()
    }

    /// The citations of the rules in force for `kind`: what a figure about
    /// that kind of request is kept under.
    pub fn citations(&self, kind: RequestKind) -> Vec<String> {
        self.for_kind(kind).map(|rule| rule.citation.clone()).collect()
    }

    pub(super) fn for_kind(&self, kind: RequestKind) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |rule| rule.kind == kind)
    }

    pub(super) fn retention_for_kind(&self, kind: RequestKind) -> impl Iterator<Item = &RetentionRule> {
        self.retention.iter().filter(move |rule| rule.kind == kind)
    }
}

impl Default for Rules {
    /// Every rule in rules.toml, for all regimes.
    fn default() -> Self {
        Self::from_toml(include_str!("rules.toml")).expect("the embedded rules.toml is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"
        [[rule]]
        id = "hipaa_complaint"
        regime = "hipaa"
        kind = "complaint"
        citation = "HIPAA 45 CFR 164.530(d)"
        respond = "30 calendar days"
        pauses_while_waiting = true
    "#;

    #[test]
    fn the_shortest_statement_limit_of_the_regimes_in_force_wins() {
        let limit = |regimes: &[Regime]| Rules::default().for_regimes(regimes).statement_limit();
        let ccpa = limit(&[Regime::Glba, Regime::Hipaa, Regime::Ccpa]).expect("a limit");
        assert_eq!((ccpa.words, ccpa.citation.as_str()), (250, "CCPA 11 CCR 7023(f)(3)"));
        assert_eq!(limit(&[Regime::Glba, Regime::Hipaa]).map(|limit| limit.words), Some(1000));
        assert_eq!(limit(&[Regime::Glba]), None, "no rule, no word limit");
    }

    fn ids(rules: &Rules) -> Vec<&str> {
        rules.rules.iter().map(|rule| rule.id.as_str()).collect()
    }

    #[test]
    fn the_embedded_rules_cover_every_kind() {
        let rules = Rules::default();
        assert_eq!(
            ids(&rules),
            [
                "glba_opt_out",
                "ccpa_opt_out",
                "hipaa_amendment",
                "ccpa_correct",
                "gdpr_rectification",
                "hipaa_complaint",
                "va_appeal",
                "co_appeal",
                "ct_appeal"
            ]
        );
        for kind in RequestKind::ALL {
            assert!(rules.for_kind(*kind).next().is_some(), "{kind}");
        }
    }

    #[test]
    fn appeals_are_offered_only_under_a_state_law_and_name_its_attorney_general() {
        let federal = Rules::default().for_regimes(&[Regime::Glba, Regime::Hipaa]);
        assert!(!federal.appeals_offered());
        assert!(federal.attorneys_general().is_empty());
        let virginia = Rules::default().for_regimes(&[Regime::Hipaa, Regime::VaCdpa]);
        assert!(virginia.appeals_offered());
        assert_eq!(virginia.citations(RequestKind::Appeal), ["Va. Code 59.1-577(C)"]);
        let offices: Vec<&str> = virginia.attorneys_general().iter().map(|office| office.state.as_str()).collect();
        assert_eq!(offices, ["Virginia"]);
        let all = Rules::default();
        let named = |state| super::super::appeals::to_name(all.attorneys_general(), state).len();
        assert_eq!(named(Some(Regime::CoCpa)), 1, "the customer's state only");
        assert_eq!(named(None), 3, "every office when the customer did not say");
        let twice = format!("{VALID}\n{APPEAL}\n{APPEAL}");
        assert!(Rules::from_toml(&twice).unwrap_err().to_string().contains("two va_cdpa appeal offices"));
        let blank = format!("{VALID}\n{}", APPEAL.replace("https://example.org", " "));
        assert!(Rules::from_toml(&blank).unwrap_err().to_string().contains("blank"));
    }

    const APPEAL: &str = r#"
        [[appeal]]
        regime = "va_cdpa"
        state = "Virginia"
        office = "Attorney General"
        url = "https://example.org"
    "#;

    #[test]
    fn the_regimes_in_force_and_their_citations_follow_the_choice() {
        let rules = Rules::default().for_regimes(&[Regime::Hipaa, Regime::Glba]);
        assert_eq!(rules.regimes(), [Regime::Glba, Regime::Hipaa]);
        assert_eq!(rules.citations(RequestKind::OptOut), ["GLBA Reg P 12 CFR 1016.7(e)"]);
        assert_eq!(rules.citations(RequestKind::Amendment), ["HIPAA 45 CFR 164.526(b)(2)"]);
    }

    #[test]
    fn the_organisation_chooses_its_regimes() {
        let rules = Rules::default();
        assert_eq!(ids(&rules.for_regimes(&[Regime::Hipaa])), ["hipaa_amendment", "hipaa_complaint"]);
        assert_eq!(ids(&rules.for_regimes(&[Regime::Glba, Regime::Gdpr])), ["glba_opt_out", "gdpr_rectification"]);
        assert!(ids(&rules.for_regimes(&[])).is_empty());
    }

    #[test]
    fn a_valid_file_parses() {
        let rules = Rules::from_toml(VALID).unwrap();
        assert_eq!(ids(&rules), ["hipaa_complaint"]);
        assert!(rules.retention.is_empty(), "without retention rules nothing is ever purged");
    }

    const RETENTION: &str = r#"
        [[retention]]
        id = "hipaa_complaint_records"
        regime = "hipaa"
        kind = "complaint"
        citation = "HIPAA 45 CFR 164.530(j)(2)"
        keep = "72 calendar months"
    "#;

    #[test]
    fn the_embedded_retention_rules_cite_their_source() {
        let rules = Rules::default();
        let retention: Vec<(&str, &str)> =
            rules.retention.iter().map(|rule| (rule.id.as_str(), rule.citation.as_str())).collect();
        assert_eq!(
            retention,
            [
                ("glba_opt_out_records", "GLBA Reg P 12 CFR 1016.7; period set by the organisation"),
                ("ccpa_opt_out_records", "CCPA 11 CCR 7101(a)"),
                ("hipaa_amendment_records", "HIPAA 45 CFR 164.530(j)(2)"),
                ("ccpa_request_records", "CCPA 11 CCR 7101(a)"),
                ("hipaa_complaint_records", "HIPAA 45 CFR 164.530(j)(2)"),
                ("va_appeal_records", "Va. Code 59.1-577; period set by the organisation"),
                ("co_appeal_records", "Colorado Privacy Act Rules, 4 CCR 904-3 Rule 6.11"),
                ("ct_appeal_records", "CTDPA Conn. Gen. Stat. 42-518; period set by the organisation"),
            ]
        );
    }

    #[test]
    fn mistakes_in_the_retention_rules_are_rejected() {
        let base = format!("{VALID}\n{RETENTION}");
        let twice = format!("{base}\n{}", RETENTION.replace("\"hipaa_complaint_records\"", "\"other\""));
        let cases = [
            (base.replace("72 calendar", "0 calendar"), "not a length of time"),
            (base.replace("keep =", "hold ="), "unknown field `hold`"),
            (base.replace("HIPAA 45 CFR 164.530(j)(2)", " "), "retention rule has a blank citation"),
            (format!("{base}\n{RETENTION}"), "two retention rules share the id"),
            (twice, "two hipaa retention rules apply to complaint requests"),
        ];
        for (text, message) in cases {
            let error = Rules::from_toml(&text).unwrap_err().to_string();
            assert!(error.contains(message), "{error}");
        }
    }

    #[test]
    fn mistakes_in_the_rules_are_rejected() {
        let twice = format!("{VALID}\n{}", VALID.replace("\"hipaa_complaint\"", "\"other\""));
        let cases = [
            (VALID.replace("\"complaint\"", "\"access\""), "unknown variant `access`"),
            (VALID.replace("\"hipaa\"", "\"pipeda\""), "unknown variant `pipeda`"),
            (VALID.replace("30 calendar", "0 calendar"), "not a length of time"),
            (VALID.replace("calendar days", "fortnights"), "not a length of time"),
            (VALID.replace("respond =", "answer ="), "unknown field `answer`"),
            (VALID.replace("HIPAA 45 CFR 164.530(d)", " "), "blank citation"),
            (format!("{VALID}\n{VALID}"), "share the id \"hipaa_complaint\""),
            (twice, "two hipaa clock rules apply to complaint requests"),
        ];
        for (text, message) in cases {
            let error = Rules::from_toml(&text).unwrap_err().to_string();
            assert!(error.contains(message), "{error}");
        }
    }
}
