//! Manager metrics: what the dashboard and its exports show, and the rules
//! behind each number. The server counts rows grouped by plain facts (a
//! day, a kind, a status); everything that is a decision — what counts as
//! on time, which age bucket a request is in, how a median is taken — is
//! made here, once, so the page, the CSV files and the disclosure table
//! cannot disagree.
//!
//! Two cohorts, each named on the page:
//! - *received in the period*: requests whose receipt falls in it (the
//!   chart, verification, the disclosure's "received");
//! - *finished in the period*: requests completed, denied or closed in it
//!   (on-time rate, days to resolve, outcomes, work done per person).
//!
//! The backlog, the overdue count and open work are as of today.

mod dashboard;
mod disclosure;
mod facts;
mod period;
mod query;
mod rules;
mod table;

pub use dashboard::{Dashboard, KindSpread, ReceivedBucket, Timeliness, Verification, Workload};
pub use disclosure::{Disclosure, DisclosureLine, counts, regimes_text};
pub use facts::{DoneByFact, Facts, FinishedFact, OpenFact, OutcomeClass, OutcomeFact, ReceivedFact};
pub use period::{Granularity, Period};
pub use query::{MetricsQuery, PeriodError, RangePreset};
pub use rules::{AgeBucket, DaySpread, Ending, on_time, overdue, starts_unverified};
pub use table::{Table, TableSlug, kind_label};
