//! The staff queue: which requests to list, in what order, and what a row
//! shows. The query lives in the page's address, so a view can be shared.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};

pub use super::clock::Urgency;
use super::{Channel, Language, ReferenceCode, RequestKind, RequestStatus};

named_enum! {
    /// Whose requests to list.
    AssigneeFilter {
        Anyone => "anyone",
        Me => "me",
        Unassigned => "unassigned",
    }
}

named_enum! {
    DueFilter {
        Soon => "soon",
        Overdue => "overdue",
    }
}

named_enum! {
    /// The queue's order. Due date first is the default: what is most
    /// urgent is on top.
    QueueSort {
        Due => "due",
        Newest => "newest",
        Oldest => "oldest",
    }
}

named_enum! {
    /// Which statuses to list: open ones unless asked otherwise.
    StatusFilter {
        Open => "open",
        All => "all",
        Unverified => "unverified",
        Received => "received",
        InProgress => "in_progress",
        AwaitingCustomer => "awaiting_customer",
        Completed => "completed",
        Denied => "denied",
        Closed => "closed",
        Withdrawn => "withdrawn",
        Merged => "merged",
    }
}

impl StatusFilter {
    /// The one status this filter stands for, if it names one.
    pub fn status(self) -> Option<RequestStatus> {
        RequestStatus::parse(self.as_str())
    }

    /// Whether the filter lists unverified requests: only when asked for,
    /// by name or with "include unverified".
    pub fn admits(self, status: RequestStatus, include_unverified: bool) -> bool {
        match self {
            Self::Open => status.is_open() && (include_unverified || status != RequestStatus::Unverified),
            Self::All => include_unverified || status != RequestStatus::Unverified,
            named => named.status() == Some(status),
        }
    }
}

/// A queue view as it appears in the address bar. Every field is optional
/// there; blank ones (an "any" choice in a form) mean no filter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    #[serde(deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
    pub kind: Option<RequestKind>,
    #[serde(deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusFilter>,
    #[serde(deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
    pub assignee: Option<AssigneeFilter>,
    #[serde(deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
    pub due: Option<DueFilter>,
    #[serde(deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    #[serde(deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    #[serde(deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub q: String,
    #[serde(deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
    pub sort: Option<QueueSort>,
    /// Whether unverified requests are listed too (a checkbox).
    #[serde(deserialize_with = "checkbox", skip_serializing_if = "is_false")]
    pub unverified: bool,
    /// Only requests on legal hold (a checkbox).
    #[serde(deserialize_with = "checkbox", skip_serializing_if = "is_false")]
    pub held: bool,
    /// Where the previous page ended (keyset pagination).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub after: String,
}

impl QueueQuery {
    /// Reads a query string, keeping whatever parts of it make sense: a
    /// mangled bookmark still opens the queue.
    pub fn from_query_string(query: &str) -> Self {
        serde_urlencoded::from_str(query).unwrap_or_else(|_| {
            let mut kept = Self::default();
            for (key, value) in serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default() {
                let single = serde_urlencoded::to_string([(key.as_str(), value.as_str())]).unwrap_or_default();
                if let Ok(one) = serde_urlencoded::from_str::<Self>(&single) {
                    kept.merge(one);
                }
            }
            kept
        })
    }

    fn merge(&mut self, other: Self) {
        macro_rules! take {
            ($($field:ident),*) => { $(if other.$field.is_some() { self.$field = other.$field; })* };
        }
        take!(kind, status, assignee, due, channel, from, to, sort);
        self.unverified |= other.unverified;
        self.held |= other.held;
        if !other.q.is_empty() {
            self.q = other.q;
        }
        if !other.after.is_empty() {
            self.after = other.after;
        }
    }

    pub fn to_query_string(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    /// Open requests unless asked otherwise; held ones are mostly finished,
    /// so asking for them alone lists every status.
    pub fn status(&self) -> StatusFilter {
        self.status.unwrap_or(if self.held { StatusFilter::All } else { StatusFilter::Open })
    }

    pub fn sort(&self) -> QueueSort {
        self.sort.unwrap_or(QueueSort::Due)
    }

    pub fn assignee(&self) -> AssigneeFilter {
        self.assignee.unwrap_or(AssigneeFilter::Anyone)
    }

    /// The same view, from its first page.
    pub fn first_page(&self) -> Self {
        Self { after: String::new(), ..self.clone() }
    }

    /// Whether a filter narrows the view beyond the default open requests
    /// (the search, always in sight, and the order do not): the filters
    /// then show unfolded.
    pub fn narrowed(&self) -> bool {
        let filters_only = Self { sort: None, after: String::new(), q: String::new(), ..self.clone() };
        filters_only != Self::default()
    }

    /// Whether the received dates are the wrong way round, so that no
    /// request can match: the page says so beside them.
    pub fn dates_reversed(&self) -> bool {
        matches!((self.from, self.to), (Some(from), Some(to)) if from > to)
    }

    /// The same view with its received dates the right way round.
    pub fn dates_swapped(&self) -> Self {
        Self { from: self.to, to: self.from, after: String::new(), ..self.clone() }
    }
}

/// How many requests a view matches. Counting stops at a cap, so that a
/// view of a long history costs no more than its first page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Matching {
    Exactly(u64),
    MoreThan(u64),
}

impl Default for Matching {
    fn default() -> Self {
        Self::Exactly(0)
    }
}

impl Matching {
    /// The count in words, as the queue shows it above its rows.
    pub fn describe(self) -> String {
        use super::format::grouped;
        match self {
            Self::Exactly(1) => "1 request".to_owned(),
            Self::Exactly(n) => format!("{} requests", grouped(n)),
            Self::MoreThan(n) => format!("More than {} requests", grouped(n)),
        }
    }
}

fn blank_is_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let text = Option::<String>::deserialize(deserializer)?.unwrap_or_default();
    if text.trim().is_empty() {
        return Ok(None);
    }
    T::deserialize(serde::de::value::StrDeserializer::<D::Error>::new(text.trim())).map(Some)
}

fn checkbox<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    let value = Option::<String>::deserialize(deserializer)?.unwrap_or_default();
    Ok(matches!(value.as_str(), "1" | "on" | "true" | "yes"))
}

fn is_false(value: &bool) -> bool {
    !value
}

/// One line of the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QueueRow {
    pub reference: ReferenceCode,
    pub kind: RequestKind,
    pub name: String,
    pub email: String,
    pub status: RequestStatus,
    pub assignee: Option<String>,
    pub channel: Channel,
    pub received_at: DateTime<Utc>,
    /// The day received, in the organisation's calendar.
    pub received_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    /// Negative once overdue. Counted from today in the organisation's time.
    pub days_left: Option<i64>,
    pub urgency: Option<Urgency>,
    pub version: i64,
    pub held: bool,
    /// Its personal data was removed at the end of its retention.
    pub purged: bool,
    /// Marked as likely repeating an earlier open request, until staff
    /// merge it or keep it separate.
    pub possible_duplicate: bool,
    /// The language the request was made in: the one to answer in.
    pub language: Language,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    /// The query for the next page, when there is one.
    pub next: Option<String>,
    pub matching: Matching,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asking_for_held_requests_alone_lists_every_status() {
        let held = QueueQuery::from_query_string("held=1");
        assert!(held.held);
        assert_eq!(held.status(), StatusFilter::All);
        assert_eq!(QueueQuery::from_query_string(&held.to_query_string()), held, "a bookmark keeps it");
        assert_eq!(QueueQuery::from_query_string("held=1&status=closed").status(), StatusFilter::Closed);
        assert_eq!(QueueQuery::default().status(), StatusFilter::Open);
    }

    #[test]
    fn a_query_survives_the_address_bar() {
        let query = QueueQuery {
            kind: Some(RequestKind::Amendment),
            status: Some(StatusFilter::AwaitingCustomer),
            assignee: Some(AssigneeFilter::Me),
            from: NaiveDate::from_ymd_opt(2026, 1, 31),
            q: "Ann & Bo".into(),
            ..Default::default()
        };
        assert_eq!(QueueQuery::from_query_string(&query.to_query_string()), query);
    }

    #[test]
    fn blank_choices_mean_no_filter_and_nonsense_is_dropped() {
        let query = QueueQuery::from_query_string("kind=&status=closed&due=whenever&from=2026-13-01&q=smith");
        assert_eq!(query.kind, None);
        assert_eq!(query.status(), StatusFilter::Closed);
        assert_eq!(query.due, None);
        assert_eq!(query.from, None);
        assert_eq!(query.q, "smith");
        assert_eq!(query.sort(), QueueSort::Due);
    }

    #[test]
    fn the_order_alone_does_not_unfold_the_filters() {
        assert!(!QueueQuery::from_query_string("sort=newest&after=r.1.2").narrowed());
        assert!(!QueueQuery::from_query_string("q=smith").narrowed(), "the search is always in sight");
        assert!(QueueQuery::from_query_string("q=smith&kind=complaint").narrowed());
        assert!(QueueQuery::from_query_string("status=all").narrowed());
        assert!(QueueQuery::from_query_string("held=1").narrowed());
    }

    #[test]
    fn reversed_dates_are_seen_and_swapped() {
        let reversed = QueueQuery::from_query_string("from=2026-03-01&to=2026-02-01&kind=complaint");
        assert!(reversed.dates_reversed());
        let swapped = reversed.dates_swapped();
        assert!(!swapped.dates_reversed());
        assert_eq!((swapped.from, swapped.kind), (NaiveDate::from_ymd_opt(2026, 2, 1), Some(RequestKind::Complaint)));
        assert!(!QueueQuery::from_query_string("from=2026-03-01").dates_reversed());
    }

    #[test]
    fn counts_read_as_words() {
        assert_eq!(Matching::Exactly(1).describe(), "1 request");
        assert_eq!(Matching::Exactly(0).describe(), "0 requests");
        assert_eq!(Matching::MoreThan(1000).describe(), "More than 1,000 requests");
    }

    #[test]
    fn unverified_requests_are_listed_only_when_asked_for() {
        assert!(!StatusFilter::Open.admits(RequestStatus::Unverified, false));
        assert!(StatusFilter::Open.admits(RequestStatus::Unverified, true));
        assert!(StatusFilter::Unverified.admits(RequestStatus::Unverified, false));
        assert!(!StatusFilter::Open.admits(RequestStatus::Closed, true));
    }
}
