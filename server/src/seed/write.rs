//! Writing seeded rows: a chunk of requests and their events per
//! transaction, in multi-row inserts.

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement, TransactionTrait, Value};

/// Requests written per transaction. Big transactions matter on SQLite:
/// each commit writes every index page it touched to the log again, and the
/// unique indexes on random codes touch pages all over (20,000 writes a
/// million about 1.6 times as fast as 5,000).
pub(super) const CHUNK: usize = 20_000;
/// Rows per INSERT: well under SQLite's 32,766 bound variables (and
/// PostgreSQL's 65,535).
const REQUEST_ROWS_PER_INSERT: usize = 500;
const EVENT_ROWS_PER_INSERT: usize = 2_000;
pub(super) const REQUEST_COLUMNS: &[&str] = &[
    "id",
    "reference",
    "kind",
    "status",
    "channel",
    "tracking_hash",
    "full_name",
    "email",
    "phone",
    "postal_address",
    "account_number",
    "details",
    "gpc",
    "received_at",
    "created_at",
    "updated_at",
    "verified_at",
    "verification_hash",
    "verification_expires_at",
    "verification_sent_at",
    "assignee_id",
    "version",
    "outcome",
    "outcome_tag",
    "outcome_category",
    "resolved_at",
    "due_on",
    "clock",
    "clock_state",
    "email_index",
    "account_index",
    "name_index",
];
pub(super) const EVENT_COLUMNS: &[&str] = &["request_id", "at", "kind", "customer_visible", "body", "actor_id"];

/// One transaction's worth of rows, as bound values in column order.
pub(super) struct Chunk {
    pub(super) requests: usize,
    pub(super) request_values: Vec<Value>,
    pub(super) events: usize,
    pub(super) event_values: Vec<Value>,
}

pub(super) async fn write_chunk(db: &DatabaseConnection, backend: DatabaseBackend, chunk: Chunk) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    insert_rows(&txn, backend, "requests", REQUEST_COLUMNS, chunk.request_values, REQUEST_ROWS_PER_INSERT).await?;
    insert_rows(&txn, backend, "request_events", EVENT_COLUMNS, chunk.event_values, EVENT_ROWS_PER_INSERT).await?;
    txn.commit().await
}

async fn insert_rows(
    txn: &impl ConnectionTrait,
    backend: DatabaseBackend,
    table: &str,
    columns: &[&str],
    values: Vec<Value>,
    rows_per_insert: usize,
) -> Result<(), DbErr> {
    let width = columns.len();
    let total = values.len() / width;
    let mut values = values.into_iter();
    let mut full: Option<String> = None;
    let mut done = 0;
    while done < total {
        let rows = (total - done).min(rows_per_insert);
        let sql = if rows == rows_per_insert {
            full.get_or_insert_with(|| insert_sql(backend, table, columns, rows)).clone()
        } else {
            insert_sql(backend, table, columns, rows)
        };
        let batch: Vec<Value> = values.by_ref().take(rows * width).collect();
        txn.execute_raw(Statement::from_sql_and_values(backend, sql, batch)).await?;
        done += rows;
    }
    Ok(())
}

/// `INSERT INTO table (a, b) VALUES ($1, $2), ($3, $4), ...`, or with `?`
/// for SQLite: SQLite looks a numbered parameter up by walking the list of
/// all of them, which makes binding thousands of `$N` quadratic.
fn insert_sql(backend: DatabaseBackend, table: &str, columns: &[&str], rows: usize) -> String {
    use std::fmt::Write;
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns.len() {
            n += 1;
            if column > 0 {
                sql.push_str(", ");
            }
            match backend {
                DatabaseBackend::Sqlite => sql.push('?'),
                _ => {
                    let _ = write!(sql, "${n}");
                }
            }
        }
        sql.push(')');
    }
    sql
}

impl Chunk {
    pub(super) fn new() -> Self {
        Self {
            requests: 0,
            request_values: Vec::with_capacity(CHUNK * REQUEST_COLUMNS.len()),
            events: 0,
            event_values: Vec::with_capacity(CHUNK * 8 * EVENT_COLUMNS.len()),
        }
    }
}

/// JSON as the portal stores it; these values always serialise.
pub(super) fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_every_value_once() {
        let sql = insert_sql(DatabaseBackend::Postgres, "t", &["a", "b"], 2);
        assert_eq!(sql, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
        let sql = insert_sql(DatabaseBackend::Sqlite, "t", &["a", "b"], 2);
        assert_eq!(sql, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
    }
}
