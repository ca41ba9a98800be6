//! What the pages say about the organisation, from the server's configuration.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub org_name: String,
    pub org_address: String,
    /// The privacy office's line, for questions and complaints.
    pub privacy_phone: String,
    /// The toll-free line where a customer may opt out by phone.
    pub opt_out_phone: String,
    /// Who handles complaints and statements of disagreement, by title.
    pub privacy_contact: String,
    /// Where customers reach the portal, for links that leave the page.
    pub public_url: String,
}

impl Default for SiteInfo {
    fn default() -> Self {
        Self {
            org_name: "Example Medical Supply".into(),
            org_address: "100 Main Street, Springfield, IL 62701".into(),
            privacy_phone: "1-800-555-0199".into(),
            opt_out_phone: "1-800-555-0142".into(),
            privacy_contact: "Privacy Officer".into(),
            public_url: "http://127.0.0.1:3000".into(),
        }
    }
}

impl SiteInfo {
    /// The private tracking link for a token.
    pub fn tracking_url(&self, token: &str) -> String {
        format!("{}/track/{token}", self.public_url.trim_end_matches('/'))
    }
}

/// Today in the organisation's time zone, put into context by the server for
/// each page it renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgToday(pub chrono::NaiveDate);

/// The address of the page an answer shows when it is not the address the
/// form was posted to (a refused change to a case shows the case). The
/// browser is told it, so that its address bar names the page it shows and
/// a reload opens that page rather than posting the form again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownAt(pub String);

/// Where this build's compiled files (script, WebAssembly, style sheet) are
/// served: under a path that names the build, so that browsers keep them
/// for a year and a new build is fetched afresh. Empty: `/pkg` itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssetRoot(pub String);
