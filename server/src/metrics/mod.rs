//! Manager metrics over the requests table.
