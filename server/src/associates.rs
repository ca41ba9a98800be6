//! The business associates administrators list: told, when staff choose,
//! of every accepted amendment (45 CFR 164.526(c)(3)(ii)).

use app::domain::email::Email;
use app::domain::form::limits;
use app::domain::notices::BusinessAssociate;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::db::entities::business_associate;

#[derive(Debug, thiserror::Error)]
pub enum AssociateError {
    #[error(transparent)]
    Database(#[from] DbErr),
    /// The form's answers cannot be used, and why, for the person.
    #[error("{0}")]
    Invalid(String),
}

#[derive(Clone)]
pub struct Associates {
    db: DatabaseConnection,
}

impl Associates {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    pub async fn list(&self) -> Result<Vec<BusinessAssociate>, DbErr> {
        listed(&self.db).await
    }

    /// Adds an associate; its id, or why the answers cannot be used.
    pub async fn add(&self, by: &Actor, name: &str, email: &str, relies_on: &str) -> Result<i64, AssociateError> {
        let invalid = |problem: &str| AssociateError::Invalid(problem.to_owned());
        let (name, relies_on) = (name.trim(), relies_on.trim());
        if name.is_empty() {
            return Err(invalid("Give the business associate's name."));
        }
        let email = Email::parse(email).map_err(|error| AssociateError::Invalid(error.to_string()))?;
        if relies_on.is_empty() {
            return Err(invalid("Say which records the business associate relies on."));
        }
        let too_long = |text: &str, limit: u64| text.chars().count() > limit as usize;
        if too_long(name, limits::NAME) || too_long(email.as_str(), limits::EMAIL) || too_long(relies_on, limits::TEXT)
        {
            return Err(invalid(
                "That is too long: keep the name under 200 characters, the address under 254 and the records under 2,000.",
            ));
        }
        let by_id = match by {
            Actor::Staff { id, .. } => Some(*id),
            _ => None,
        };
        let txn = self.db.begin().await?;
        let added = business_associate::ActiveModel {
            name: Set(name.to_owned()),
            email: Set(email.as_str().to_owned()),
            relies_on: Set(relies_on.to_owned()),
            created_at: Set(Utc::now()),
            created_by: Set(by_id),
            removed_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::append(&txn, by, "associate.added", None, serde_json::json!({ "associate_id": added.id, "name": name }))
            .await?;
        txn.commit().await?;
        Ok(added.id)
    }

    /// Takes an associate off the list. `Ok(false)` when it is not on it.
    pub async fn remove(&self, by: &Actor, id: i64) -> Result<bool, DbErr> {
        let txn = self.db.begin().await?;
        let removed = business_associate::Entity::update_many()
            .col_expr(business_associate::Column::RemovedAt, Expr::value(Some(Utc::now())))
            .filter(business_associate::Column::Id.eq(id))
            .filter(business_associate::Column::RemovedAt.is_null())
            .exec(&txn)
            .await?;
        if removed.rows_affected == 0 {
            return Ok(false);
        }
        audit::append(&txn, by, "associate.removed", None, serde_json::json!({ "associate_id": id })).await?;
        txn.commit().await?;
        Ok(true)
    }
}

/// The associates on the list, in the order they were added.
pub async fn listed(db: &impl ConnectionTrait) -> Result<Vec<BusinessAssociate>, DbErr> {
    let rows = business_associate::Entity::find()
        .filter(business_associate::Column::RemovedAt.is_null())
        .order_by_asc(business_associate::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| BusinessAssociate { id: row.id, name: row.name, email: row.email, relies_on: row.relies_on })
        .collect())
}
