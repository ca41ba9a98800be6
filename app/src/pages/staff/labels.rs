//! How the staff pages name their own controls (filters, sorts, letter
//! states). Kinds, statuses, channels and outcomes are named by the domain,
//! which keeps the staff's word beside the customer's.

use crate::domain::RequestStatus;
use crate::domain::case::LetterStatus;
use crate::domain::queue::{AssigneeFilter, DueFilter, QueueSort, StatusFilter};

pub fn status_filter(filter: StatusFilter) -> &'static str {
    match filter {
        StatusFilter::Open => "Open",
        StatusFilter::All => "All",
        named => named.status().map_or_else(|| named.as_str(), RequestStatus::staff_label),
    }
}

pub fn assignee_filter(filter: AssigneeFilter) -> &'static str {
    match filter {
        AssigneeFilter::Anyone => "Anyone",
        AssigneeFilter::Me => "Me",
        AssigneeFilter::Unassigned => "Unassigned",
    }
}

pub fn due_filter(filter: DueFilter) -> &'static str {
    match filter {
        DueFilter::Soon => "Due soon",
        DueFilter::Overdue => "Overdue",
    }
}

pub fn sort(sort: QueueSort) -> &'static str {
    match sort {
        QueueSort::Due => "Due date first",
        QueueSort::Newest => "Newest first",
        QueueSort::Oldest => "Oldest first",
    }
}

pub fn letter_status(status: LetterStatus) -> &'static str {
    match status {
        LetterStatus::Pending => "Waiting to be sent",
        LetterStatus::Sent => "Sent",
        LetterStatus::Failed => "Failed",
    }
}

/// A letter's state, printed ones named as the print queue names them.
pub fn letter_status_of(status: LetterStatus, by_post: bool) -> &'static str {
    match (by_post, status) {
        (true, LetterStatus::Pending) => "Waiting to be printed",
        (true, LetterStatus::Sent) => "Printed",
        _ => letter_status(status),
    }
}

/// A webhook delivery's state: it is retried until it is delivered or
/// finally fails.
pub fn delivery_status(status: LetterStatus) -> &'static str {
    match status {
        LetterStatus::Pending => "Waiting to be sent",
        LetterStatus::Sent => "Delivered",
        LetterStatus::Failed => "Failed",
    }
}

/// Days to a deadline in words; negative once it has passed.
pub fn days_left(days: i64) -> String {
    match days {
        0 => "Due today".to_owned(),
        1 => "1 day left".to_owned(),
        -1 => "1 day overdue".to_owned(),
        d if d > 1 => format!("{d} days left"),
        d => format!("{} days overdue", -d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_read_as_words() {
        assert_eq!(days_left(3), "3 days left");
        assert_eq!(days_left(1), "1 day left");
        assert_eq!(days_left(0), "Due today");
        assert_eq!(days_left(-1), "1 day overdue");
        assert_eq!(days_left(-2), "2 days overdue");
    }

    #[test]
    fn every_named_status_filter_has_its_status_name() {
        for filter in StatusFilter::ALL {
            if let Some(named) = filter.status() {
                assert_eq!(status_filter(*filter), named.staff_label());
            }
        }
    }
}
