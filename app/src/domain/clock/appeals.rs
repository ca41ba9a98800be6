//! Where a customer may complain when their appeal is denied: a state's
//! Attorney General, kept with the clocks in rules.toml so counsel can
//! correct an address without a code change.

use serde::{Deserialize, Serialize};

use super::rules::Regime;

/// The office of one state law with an appeal rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttorneyGeneral {
    pub regime: Regime,
    /// The state, as the appeal form offers it to the customer.
    pub state: String,
    pub office: String,
    pub url: String,
    #[serde(default)]
    pub phone: Option<String>,
}

impl AttorneyGeneral {
    /// The office as a letter gives it: name, address on the web, phone.
    pub fn contact(&self) -> String {
        match &self.phone {
            Some(phone) => format!("{}: {} or {}", self.office, self.url, phone),
            None => format!("{}: {}", self.office, self.url),
        }
    }
}

/// The offices a denied appeal's letter names: the one of the state the
/// customer said they live in, or every office in force when they did not
/// say or named a state without one.
pub fn to_name(offices: &[AttorneyGeneral], state: Option<Regime>) -> Vec<&AttorneyGeneral> {
    let theirs: Vec<&AttorneyGeneral> = offices.iter().filter(|office| Some(office.regime) == state).collect();
    if theirs.is_empty() { offices.iter().collect() } else { theirs }
}
