//! The queue: filters, order and keyset pagination over the requests table.

use std::collections::HashMap;

use app::domain::queue::{
    AssigneeFilter, DueFilter, Matching, QueuePage, QueueQuery, QueueRow, QueueSort, StatusFilter,
};
use app::domain::{Channel, Language, ReferenceCode, RequestKind, RequestStatus, Viewer};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, DbBackend, DeriveIden, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};

use super::{CaseDesk, CaseError};
use crate::db::entities::request;
use crate::vault::{Vault, normal};

/// Rows per page: a screenful on a desk.
pub const PAGE_SIZE: u64 = 50;

/// Where the staff page stops counting what a view matches.
const COUNTED_AT_MOST: u64 = 1_000;

/// Where a page ended, for the next one to start after.
enum Cursor {
    Due(NaiveDate, i64),
    Received(DateTime<Utc>, i64),
}

impl Cursor {
    fn encode(&self) -> String {
        match self {
            Self::Due(day, id) => format!("d.{day}.{id}"),
            Self::Received(at, id) => format!("r.{}.{id}", at.timestamp_micros()),
        }
    }

    fn decode(text: &str) -> Option<Self> {
        let mut parts = text.splitn(3, '.');
        let (tag, key, id) = (parts.next()?, parts.next()?, parts.next()?.parse().ok()?);
        match tag {
            "d" => Some(Self::Due(key.parse().ok()?, id)),
            "r" => Some(Self::Received(DateTime::from_timestamp_micros(key.parse().ok()?)?, id)),
            _ => None,
        }
    }
}

/// Whether `after` is where a page in `sort` order ended: a cursor from
/// another order would silently start the queue again.
pub fn cursor_fits(after: &str, sort: QueueSort) -> bool {
    matches!(
        (sort, Cursor::decode(after)),
        (QueueSort::Due, Some(Cursor::Due(..))) | (QueueSort::Newest | QueueSort::Oldest, Some(Cursor::Received(..)))
    )
}

impl CaseDesk {
    /// The staff page: a page of the queue and how many requests match.
    pub async fn queue(&self, viewer: &Viewer, query: &QueueQuery) -> Result<QueuePage, CaseError> {
        let mut page = self.queue_page(viewer, query, PAGE_SIZE).await?;
        if page.next.is_some() || !query.after.is_empty() {
            let counted = self
                .matching(viewer, query, Walk::Filter)
                .select_only()
                .column(request::Column::Id)
                .limit(COUNTED_AT_MOST + 1)
                .count(&self.read)
                .await?;
            page.matching = if counted > COUNTED_AT_MOST {
                Matching::MoreThan(COUNTED_AT_MOST)
            } else {
                Matching::Exactly(counted)
            };
        }
        Ok(page)
    }

    /// The requests a view lists, before its order and its pages; `walk`
    /// says what the query is for (see [`status_condition`]).
    fn matching(&self, viewer: &Viewer, query: &QueueQuery, walk: Walk) -> Select<request::Entity> {
        let clocks = &self.clocks;
        let backend = self.read.get_database_backend();
        let mut select =
            request::Entity::find().filter(status_condition(backend, query.status(), query.unverified, walk));
        if let Some(kind) = query.kind {
            select = select.filter(request::Column::Kind.eq(kind.as_str()));
        }
        if query.held {
            select = select.filter(request::Column::HeldAt.is_not_null());
        }
        if let Some(channel) = query.channel {
            select = select.filter(request::Column::Channel.eq(channel.as_str()));
        }
        select = match query.assignee() {
            AssigneeFilter::Anyone => select,
            AssigneeFilter::Me => select.filter(request::Column::AssigneeId.eq(viewer.id)),
            AssigneeFilter::Unassigned => select.filter(request::Column::AssigneeId.is_null()),
        };
        let today = clocks.today();
        select = match query.due {
            None => select,
            Some(DueFilter::Overdue) => select.filter(request::Column::DueOn.lt(today)).filter(open_statuses()),
            Some(DueFilter::Soon) => select
                .filter(request::Column::DueOn.gte(today))
                .filter(request::Column::DueOn.lte(clocks.due_soon_until()))
                .filter(open_statuses()),
        };
        if let Some(from) = query.from {
            select = select.filter(request::Column::ReceivedAt.gte(self.start_of(from)));
        }
        if let Some(to) = query.to.and_then(|day| day.succ_opt()) {
            select = select.filter(request::Column::ReceivedAt.lt(self.start_of(to)));
        }
        let search = query.q.trim();
        if !search.is_empty() {
            select = select.filter(search_condition(self.vault(), search));
        }
        if query.sort() == QueueSort::Due {
            // Requests without a deadline have no place in a due-date order.
            select = select.filter(request::Column::DueOn.is_not_null());
        }
        select
    }

    /// A page of `size` rows; the API lets its callers choose. Only a
    /// first page with no next one knows how many matched without
    /// counting; [`Self::queue`] counts for the others.
    pub async fn queue_page(&self, viewer: &Viewer, query: &QueueQuery, size: u64) -> Result<QueuePage, CaseError> {
        let clocks = &self.clocks;
        let mut select = self.matching(viewer, query, Walk::SortOrder);
        let sort = query.sort();
        let cursor = Cursor::decode(&query.after);
        select = match (sort, cursor) {
            (QueueSort::Due, Some(Cursor::Due(day, id))) => select.filter(
                Condition::any()
                    .add(request::Column::DueOn.gt(day))
                    .add(Condition::all().add(request::Column::DueOn.eq(day)).add(request::Column::Id.gt(id))),
            ),
            (QueueSort::Newest, Some(Cursor::Received(at, id))) => select.filter(
                Condition::any()
                    .add(request::Column::ReceivedAt.lt(at))
                    .add(Condition::all().add(request::Column::ReceivedAt.eq(at)).add(request::Column::Id.lt(id))),
            ),
            (QueueSort::Oldest, Some(Cursor::Received(at, id))) => select.filter(
                Condition::any()
                    .add(request::Column::ReceivedAt.gt(at))
                    .add(Condition::all().add(request::Column::ReceivedAt.eq(at)).add(request::Column::Id.gt(id))),
            ),
            _ => select,
        };
        select = match sort {
            QueueSort::Due => {
                select.order_by(request::Column::DueOn, Order::Asc).order_by(request::Column::Id, Order::Asc)
            }
            QueueSort::Newest => {
                select.order_by(request::Column::ReceivedAt, Order::Desc).order_by(request::Column::Id, Order::Desc)
            }
            QueueSort::Oldest => {
                select.order_by(request::Column::ReceivedAt, Order::Asc).order_by(request::Column::Id, Order::Asc)
            }
        };
        let mut rows = select.limit(size + 1).all(&self.read).await?;
        let more = rows.len() as u64 > size;
        rows.truncate(size as usize);
        let next = match (more, rows.last()) {
            (true, Some(last)) => {
                let cursor = match sort {
                    QueueSort::Due => last.due_on.map(|day| Cursor::Due(day, last.id)),
                    QueueSort::Newest | QueueSort::Oldest => Some(Cursor::Received(last.received_at, last.id)),
                };
                cursor.map(|cursor| QueueQuery { after: cursor.encode(), ..query.clone() }.to_query_string())
            }
            _ => None,
        };
        let names: HashMap<i64, String> =
            self.staff.list().await?.into_iter().map(|member| (member.id, member.name)).collect();
        let vault = self.vault();
        let rows: Vec<QueueRow> = rows
            .into_iter()
            .filter_map(|row| {
                let status = RequestStatus::parse(&row.status)?;
                let standing = row.due_on.filter(|_| status.is_open()).map(|day| clocks.standing(day));
                Some(QueueRow {
                    reference: ReferenceCode::parse(&row.reference).ok()?,
                    kind: RequestKind::parse(&row.kind)?,
                    name: vault.open_name(&row).ok()?,
                    email: vault.open_email(&row).ok()?,
                    status,
                    assignee: row.assignee_id.and_then(|id| names.get(&id).cloned()),
                    channel: Channel::parse(&row.channel)?,
                    received_at: row.received_at,
                    received_on: clocks.local_date(row.received_at),
                    due_on: row.due_on,
                    days_left: standing.map(|(left, _)| left),
                    urgency: standing.map(|(_, urgency)| urgency),
                    version: row.version,
                    held: row.held_at.is_some(),
                    possible_duplicate: row.duplicate_of.is_some(),
                    language: Language::parse(&row.language).unwrap_or(Language::En),
                    purged: row.purged_at.is_some(),
                })
            })
            .collect();
        let matching = Matching::Exactly(rows.len() as u64);
        Ok(QueuePage { rows, next, matching })
    }

    /// The first instant of a day in the organisation's time zone.
    fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        self.clocks
            .time_zone()
            .from_local_datetime(&midnight)
            .earliest()
            .map_or_else(|| Utc.from_utc_datetime(&midnight), |local| local.with_timezone(&Utc))
    }
}

fn open_statuses() -> Condition {
    let open: Vec<&str> = RequestStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
    Condition::all().add(request::Column::Status.is_in(open))
}

/// Which index SQLite should walk for a view's rows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// A page: the sort order's index, so that the first rows found are
    /// the page and nothing is sorted.
    SortOrder,
    /// A count, in no order: the status index, unless every status is
    /// admitted, when it narrows nothing.
    Filter,
}

/// The statuses of the queue's default view, the open requests, in the
/// words and order of their own index (`idx_requests_open_due`, migration
/// `m20261213_000010_open_due`). A planner uses an index of some rows only
/// when it sees that the view asks for no other, so a page of this view
/// names them in the statement as the index does instead of binding them.
const OPEN_REQUESTS: [RequestStatus; 3] =
    [RequestStatus::Received, RequestStatus::InProgress, RequestStatus::AwaitingCustomer];

/// The statuses a view admits. For a page, the status index narrows a view
/// only to the few open statuses: finished ones are nearly all of a long
/// history, and SQLite, which keeps no statistics here, would walk them all
/// through that index and sort them. So when any finished status is
/// admitted, a unary plus keeps SQLite off the index and it walks the sort
/// order's own index instead. A count sorts nothing, and counting the
/// denied requests through the status index takes 0.2 ms at a million
/// requests against 45 ms down the sort order (2026-12-07). PostgreSQL
/// keeps statistics and chooses for itself.
fn status_condition(backend: DbBackend, filter: StatusFilter, include_unverified: bool, walk: Walk) -> Condition {
    let admitted: Vec<RequestStatus> =
        RequestStatus::ALL.iter().copied().filter(|status| filter.admits(*status, include_unverified)).collect();
    if walk == Walk::SortOrder && admitted == OPEN_REQUESTS {
        let named: Vec<String> = OPEN_REQUESTS.iter().map(|status| format!("'{}'", status.as_str())).collect();
        return Condition::all().add(Expr::cust(format!(r#""requests"."status" IN ({})"#, named.join(", "))));
    }
    let indexed = match walk {
        Walk::SortOrder => admitted.iter().all(|status| status.is_open()),
        Walk::Filter => filter != StatusFilter::All,
    };
    let column = if backend == DbBackend::Sqlite && !indexed {
        Expr::cust(r#"+"requests"."status""#)
    } else {
        Expr::col((request::Entity, request::Column::Status))
    };
    Condition::all().add(column.is_in(admitted.iter().map(|status| status.as_str())))
}

/// Each request's name words, by their blind indexes: kept by the
/// database from `requests.name_index` (migration
/// `m20261214_000010_name_words`), so that a name is found by lookups
/// instead of by reading every request's name.
#[derive(DeriveIden)]
enum RequestNameWords {
    Table,
    Word,
    RequestId,
}

/// A search by reference (whole, or its first characters without the
/// prefix), by address (whole and case-blind), by account number, or by
/// whole words of a name in any order. Addresses, numbers
/// and names are sealed, so each is found through its blind index; see the
/// README for why a name is searched by whole words.
fn search_condition(vault: &Vault, search: &str) -> Condition {
    if let Ok(reference) = ReferenceCode::parse(search) {
        return Condition::all().add(request::Column::Reference.eq(reference.as_str()));
    }
    if search.contains('@') {
        return Condition::all().add(request::Column::EmailIndex.eq(vault.email_index(search)));
    }
    let mut name = Condition::all();
    let mut words = 0;
    for word in normal::name_words(search) {
        let named = Query::select()
            .column(RequestNameWords::RequestId)
            .from(RequestNameWords::Table)
            .and_where(Expr::col(RequestNameWords::Word).eq(vault.name_word(&word)))
            .to_owned();
        name = name.add(request::Column::Id.in_subquery(named));
        words += 1;
    }
    let mut found = Condition::any();
    if words > 0 {
        found = found.add(name);
    }
    if let Some(beginning) = ReferenceCode::beginning(search) {
        // References hold only their alphabet and dashes: no LIKE wildcards.
        found = found.add(request::Column::Reference.like(format!("{beginning}%")));
    }
    if search.chars().any(|c| c.is_ascii_digit())
        && let Some(account) = vault.account_index(search)
    {
        found = found.add(request::Column::AccountIndex.eq(account));
    }
    if found.is_empty() {
        // Nothing to look for: punctuation only finds nothing.
        return Condition::all().add(Expr::cust("1 = 0"));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn plan_of(select: Select<request::Entity>) -> Vec<String> {
        crate::db::plan_of(select.select_only().column(request::Column::Id)).await
    }

    fn by_status(filter: StatusFilter, walk: Walk) -> Select<request::Entity> {
        request::Entity::find().filter(status_condition(DbBackend::Sqlite, filter, false, walk))
    }

    /// Counting the denied requests by reading every entry of an index until
    /// a thousand denied ones were found took 45 ms at a million requests.
    #[tokio::test]
    async fn a_count_of_one_status_searches_the_status_index() {
        let plan = plan_of(by_status(StatusFilter::Denied, Walk::Filter)).await;
        assert!(
            plan.iter().any(|step| step.starts_with("SEARCH requests USING COVERING INDEX idx_requests_status")),
            "{plan:#?}"
        );
    }

    /// A search by a word of a name read every request's entry of an index
    /// of the names: 80 ms at p99 at a million requests for a common
    /// surname. Its count and its page, in the queue's default order (by
    /// due date), look the words up instead and read no other request.
    #[tokio::test]
    async fn a_name_search_looks_its_words_up() {
        let vault = crate::vault::for_tests();
        let search = || {
            by_status(StatusFilter::All, Walk::Filter)
                .filter(search_condition(&vault, "Ada Mendoza"))
                .filter(request::Column::DueOn.is_not_null())
        };
        let count = plan_of(search()).await;
        let page = plan_of(search().order_by_asc(request::Column::DueOn).order_by_asc(request::Column::Id)).await;
        for plan in [count, page] {
            assert!(
                plan.iter().any(|step| step.contains("SEARCH request_name_words USING PRIMARY KEY (word=?)")),
                "{plan:#?}"
            );
            assert!(
                plan.iter().any(|step| step.contains("SEARCH requests USING INTEGER PRIMARY KEY (rowid=?)")),
                "{plan:#?}"
            );
            assert!(!plan.iter().any(|step| step.starts_with("SCAN requests")), "{plan:#?}");
        }
    }

    /// PostgreSQL walked the due-date index past every finished request for
    /// the default view's first page (3.8 s at a million requests). The
    /// open requests' own index can serve that page only if the statement
    /// names the statuses as the index does: SQLite refuses to plan with an
    /// index named by `INDEXED BY` that cannot serve it, and the same rule
    /// lets PostgreSQL see it.
    #[tokio::test]
    async fn a_page_of_open_requests_can_walk_their_own_index() {
        let page = || {
            by_status(StatusFilter::Open, Walk::SortOrder)
                .filter(request::Column::DueOn.is_not_null())
                .order_by_asc(request::Column::DueOn)
                .order_by_asc(request::Column::Id)
        };
        let through = |index: &'static str| {
            move |sql: String| sql.replacen(r#"FROM "requests""#, &format!(r#"FROM "requests" INDEXED BY {index}"#), 1)
        };
        let plan = crate::db::plan_of_edited(page(), through("idx_requests_open_due")).await.expect("a plan");
        assert!(!plan.iter().any(|step| step.contains("TEMP B-TREE")), "walked in order, nothing sorted: {plan:#?}");
        let finished = by_status(StatusFilter::Denied, Walk::SortOrder).order_by_asc(request::Column::DueOn);
        let refused = crate::db::plan_of_edited(finished, through("idx_requests_open_due")).await;
        assert!(
            refused.as_ref().is_err_and(|error| error.to_string().contains("no query solution")),
            "an index of open requests cannot serve a view of denied ones: {refused:?}"
        );
    }

    /// A page of finished requests walks its sort order instead, so that it
    /// stops at its fiftieth row and sorts nothing.
    #[tokio::test]
    /// It walks the index that holds each request's status beside its
    /// time, so that it reads only the rows it lists: walking the time's own
    /// index read twenty rows for every denied one, 69 ms at p99 at a
    /// million requests.
    async fn a_page_of_finished_requests_keeps_off_the_status_index() {
        let page = by_status(StatusFilter::Denied, Walk::SortOrder)
            .order_by_desc(request::Column::ReceivedAt)
            .order_by_desc(request::Column::Id)
            .limit(PAGE_SIZE + 1);
        let plan = plan_of(page).await;
        assert!(!plan.iter().any(|step| step.contains("idx_requests_status")), "{plan:#?}");
        assert_eq!(plan, ["SCAN requests USING COVERING INDEX idx_requests_received_status"]);
    }
}
