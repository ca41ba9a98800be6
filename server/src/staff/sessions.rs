//! Staff sessions kept in the portal's own database, so that every server
//! instance behind a load balancer knows them and a restart keeps them.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, SqlErr};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::db::entities::staff_session;

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    /// Where pages read; see [`crate::db::reader`]. The writer until
    /// [`Self::reading_from`] says otherwise.
    read: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { read: db.clone(), db }
    }

    /// Loads sessions through `reader` (see [`crate::db::reader`]).
    pub fn reading_from(mut self, reader: DatabaseConnection) -> Self {
        self.read = reader;
        self
    }

    /// Forgets sessions past their expiry; they are already refused.
    pub async fn delete_expired(&self) -> Result<u64, sea_orm::DbErr> {
        let done = staff_session::Entity::delete_many()
            .filter(staff_session::Column::ExpiresAt.lt(Utc::now()))
            .exec(&self.db)
            .await?;
        Ok(done.rows_affected)
    }
}

/// How much of the idle time a page may leave unrenewed. Every staff page
/// pushes the idle end back; written each time, that is a commit on the
/// single writer behind every page. Nobody notices a session that ends at
/// most this much sooner after they stopped working.
const RENEWAL_SLACK: chrono::Duration = chrono::Duration::minutes(1);

impl DbSessionStore {
    /// Whether the stored session already has `data` and an end within
    /// [`RENEWAL_SLACK`] of `expires_at`, so that saving would change
    /// nothing anyone could notice.
    async fn holds_already(
        &self,
        record: &Record,
        data: &str,
        expires_at: DateTime<Utc>,
    ) -> session_store::Result<bool> {
        let stored = staff_session::Entity::find_by_id(record.id.to_string()).one(&self.read).await.map_err(backend)?;
        Ok(stored.is_some_and(|stored| {
            stored.data == data && stored.expires_at > Utc::now() && stored.expires_at + RENEWAL_SLACK >= expires_at
        }))
    }
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn expiry(record: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0).unwrap_or_else(Utc::now)
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    /// A new session: its id is drawn again on the (astronomically rare)
    /// chance that it is taken, never overwriting another's session.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        loop {
            let row = staff_session::ActiveModel {
                id: Set(record.id.to_string()),
                data: Set(data.clone()),
                expires_at: Set(expiry(record)),
            };
            match staff_session::Entity::insert(row).exec(&self.db).await {
                Ok(_) => return Ok(()),
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    record.id = Id::default();
                }
                Err(e) => return Err(backend(e)),
            }
        }
    }

    /// Updates a session that is still live, and only that: a request that
    /// loaded the session before it was signed out or expired must not bring
    /// it back when it finishes. [`Self::create`] is the only insert.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let expires_at = expiry(record);
        if self.holds_already(record, &data, expires_at).await? {
            return Ok(());
        }
        staff_session::Entity::update_many()
            .col_expr(staff_session::Column::Data, Expr::value(data))
            .col_expr(staff_session::Column::ExpiresAt, Expr::value(expires_at))
            .filter(staff_session::Column::Id.eq(record.id.to_string()))
            .filter(staff_session::Column::ExpiresAt.gt(Utc::now()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(row) = staff_session::Entity::find_by_id(id.to_string())
            .filter(staff_session::Column::ExpiresAt.gt(Utc::now()))
            .one(&self.read)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        staff_session::Entity::delete_by_id(id.to_string()).exec(&self.db).await.map_err(backend)?;
        Ok(())
    }
}
