//! Manager metrics: what the dashboard and its exports show.
