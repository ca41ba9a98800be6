//! The queue views each staff member saves for themselves. A view is a
//! preference of its owner's, not a change to anyone's data, so saving and
//! removing one leaves no audit entry.

use app::domain::queue::QueueQuery;
use app::domain::saved_views::{PER_PERSON, SavedView, ViewName, ViewRefusal};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Set, SqlErr,
    TransactionTrait,
};

use crate::db::entities::saved_view;

#[derive(Debug, thiserror::Error)]
pub enum SavedViewError {
    /// Why the view was not saved, for the person.
    #[error(transparent)]
    Refused(#[from] ViewRefusal),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// What came of removing a view.
#[derive(Debug, PartialEq, Eq)]
pub enum Removal {
    Removed,
    /// Already gone (removed from another tab): nothing to do.
    Gone,
    /// Somebody else's: only its owner may remove it.
    NotTheirs,
}

#[derive(Clone)]
pub struct SavedViews {
    db: DatabaseConnection,
    /// Where the list is read: every queue page reads it, and a page that
    /// only reads must not queue behind the one SQLite writer.
    read: DatabaseConnection,
}

impl SavedViews {
    pub fn new(db: DatabaseConnection, read: DatabaseConnection) -> Self {
        Self { db, read }
    }

    /// `owner`'s views, in the order saved.
    pub async fn of(&self, owner: i64) -> Result<Vec<SavedView>, DbErr> {
        let rows = saved_view::Entity::find()
            .filter(saved_view::Column::StaffUserId.eq(owner))
            .order_by_asc(saved_view::Column::Id)
            .all(&self.read)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| SavedView { id: row.id, name: row.name, query: QueueQuery::from_query_string(&row.query) })
            .collect())
    }

    /// Saves the queue's view `query` for `owner` as `name`, unless the
    /// name is unusable or already theirs, or they have as many as anyone
    /// may keep.
    pub async fn save(&self, owner: i64, name: &str, query: &QueueQuery) -> Result<SavedView, SavedViewError> {
        let name = ViewName::parse(name)?;
        let query = SavedView::keeps(query);
        let txn = self.db.begin().await?;
        let theirs = saved_view::Entity::find().filter(saved_view::Column::StaffUserId.eq(owner)).all(&txn).await?;
        if let Some(taken) = theirs.iter().find(|view| name.same_as(&view.name)) {
            return Err(ViewRefusal::NameTaken(taken.name.clone()).into());
        }
        if theirs.len() >= PER_PERSON {
            return Err(ViewRefusal::TooMany.into());
        }
        let inserted = saved_view::ActiveModel {
            staff_user_id: Set(owner),
            name: Set(name.as_str().to_owned()),
            query: Set(query.to_query_string()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        let row = match inserted {
            Ok(row) => row,
            // The same name saved from another tab meanwhile.
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                return Err(ViewRefusal::NameTaken(name.as_str().to_owned()).into());
            }
            Err(e) => return Err(e.into()),
        };
        txn.commit().await?;
        Ok(SavedView { id: row.id, name: row.name, query })
    }

    /// Removes view `id` if it is `owner`'s.
    pub async fn remove(&self, owner: i64, id: i64) -> Result<Removal, DbErr> {
        let Some(view) = saved_view::Entity::find_by_id(id).one(&self.db).await? else {
            return Ok(Removal::Gone);
        };
        if view.staff_user_id != owner {
            return Ok(Removal::NotTheirs);
        }
        let deleted = saved_view::Entity::delete_many()
            .filter(saved_view::Column::Id.eq(id))
            .filter(saved_view::Column::StaffUserId.eq(owner))
            .exec(&self.db)
            .await?;
        Ok(if deleted.rows_affected == 0 { Removal::Gone } else { Removal::Removed })
    }
}
