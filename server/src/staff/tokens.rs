//! API tokens: per staff member, shown once, stored as a hash, revocable.

use app::domain::accounts::{ApiTokenInfo, StaffMember};
use app::domain::{Role, Viewer};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::clocks::Clocks;
use crate::db::entities::{api_token, staff_user};
use crate::secret::{self as token, Secret as TrackingToken};

/// Every token starts with this, so a leaked one is recognisable in logs and
/// by secret scanners.
const PREFIX: &str = "ppt_";

#[derive(Clone)]
pub struct ApiTokens {
    db: DatabaseConnection,
}

impl ApiTokens {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Issues a token for the active account with this address; returns it
    /// in full, the only time it is ever shown. `Ok(None)` when no such
    /// account exists.
    pub async fn issue(&self, by: &Actor, email: &str, name: &str) -> Result<Option<String>, DbErr> {
        let email = crate::staff::normalise_email(email);
        let Some(user) = staff_user::Entity::find()
            .filter(staff_user::Column::Email.eq(email))
            .filter(staff_user::Column::Active.eq(true))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let secret = TrackingToken::generate();
        let txn = self.db.begin().await?;
        let row = api_token::ActiveModel {
            user_id: Set(user.id),
            name: Set(name.trim().to_owned()),
            hash: Set(secret.hash()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let detail = serde_json::json!({ "token_id": row.id, "owner": user.email, "name": row.name });
        audit::append(&txn, by, "api_token.issued", None, detail).await?;
        txn.commit().await?;
        Ok(Some(format!("{PREFIX}{}", secret.expose())))
    }

    pub async fn revoke(&self, by: &Actor, id: i64) -> Result<bool, DbErr> {
        let txn = self.db.begin().await?;
        let done = api_token::Entity::update_many()
            .col_expr(api_token::Column::RevokedAt, Expr::value(Utc::now()))
            .filter(api_token::Column::Id.eq(id))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        if done.rows_affected != 1 {
            return Ok(false);
        }
        audit::append(&txn, by, "api_token.revoked", None, serde_json::json!({ "token_id": id })).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// The staff member a bearer token acts for, while both are valid.
    pub async fn authenticate(&self, presented: &str) -> Result<Option<Viewer>, DbErr> {
        let Some(hash) = presented.strip_prefix(PREFIX).and_then(token::lookup_hash) else {
            return Ok(None);
        };
        let Some(found) = api_token::Entity::find()
            .filter(api_token::Column::Hash.eq(hash))
            .filter(api_token::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let Some(user) = staff_user::Entity::find_by_id(found.user_id).one(&self.db).await? else {
            return Ok(None);
        };
        let Some(role) = Role::parse(&user.role).filter(|_| user.active) else {
            return Ok(None);
        };
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(Utc::now()))
            .filter(api_token::Column::Id.eq(found.id))
            .exec(&self.db)
            .await?;
        // A token carries no session, so no form token either.
        Ok(Some(Viewer { id: user.id, name: user.name, email: user.email, role, csrf: String::new() }))
    }

    /// Tokens in force, newest first.
    /// The live tokens, their days given in the organisation's calendar.
    pub async fn list(&self, clocks: &Clocks) -> Result<Vec<ApiTokenInfo>, DbErr> {
        let tokens = api_token::Entity::find()
            .filter(api_token::Column::RevokedAt.is_null())
            .order_by_desc(api_token::Column::Id)
            .all(&self.db)
            .await?;
        let users = staff_user::Entity::find().all(&self.db).await?;
        Ok(tokens
            .into_iter()
            .filter_map(|token| {
                let user = users.iter().find(|u| u.id == token.user_id)?;
                Some(ApiTokenInfo {
                    id: token.id,
                    name: token.name,
                    owner: StaffMember {
                        id: user.id,
                        name: user.name.clone(),
                        email: user.email.clone(),
                        role: Role::parse(&user.role)?,
                        active: user.active,
                    },
                    created_at: token.created_at,
                    created_on: clocks.local_date(token.created_at),
                    last_used_at: token.last_used_at,
                    last_used_on: token.last_used_at.map(|at| clocks.local_date(at)),
                })
            })
            .collect())
    }
}
