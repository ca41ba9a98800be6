//! API tokens: per staff member, shown once, stored as a hash, revocable,
//! and ending by themselves: after the lifetime chosen when they were
//! issued, or with their owner's sessions (signed out everywhere, disabled,
//! re-roled). Every token issued in someone's name stays on their account
//! page, whoever issued it and whatever became of it.

use app::domain::accounts::{ApiTokenInfo, TokenLifetime, TokenStanding};
use app::domain::{Role, Viewer};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::clocks::Clocks;
use crate::db::entities::{api_token, staff_user};
use crate::secret::{self, Secret};

/// Every token starts with this, so a leaked one is recognisable in logs and
/// by secret scanners.
const PREFIX: &str = "ppt_";

#[derive(Clone)]
pub struct ApiTokens {
    db: DatabaseConnection,
}

/// Whether `token` still works for `owner` at `now`: the one rule, for
/// signing in with it and for every list that shows it.
fn standing(token: &api_token::Model, owner: &staff_user::Model, now: DateTime<Utc>) -> TokenStanding {
    if token.revoked_at.is_some() {
        TokenStanding::Revoked
    } else if token.expires_at <= now {
        TokenStanding::Expired
    } else if !owner.active || owner.session_epoch != token.owner_epoch {
        TokenStanding::Ended
    } else {
        TokenStanding::InForce
    }
}

impl ApiTokens {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Issues a token for the active account with this address, working for
    /// `lifetime`; returns it in full, the only time it is ever shown.
    /// `Ok(None)` when no such account exists. The audit entry says who
    /// issued it in whose name.
    pub async fn issue(
        &self,
        by: &Actor,
        email: &str,
        name: &str,
        lifetime: TokenLifetime,
    ) -> Result<Option<String>, DbErr> {
        let email = crate::staff::normalise_email(email);
        let Some(user) = staff_user::Entity::find()
            .filter(staff_user::Column::Email.eq(email))
            .filter(staff_user::Column::Active.eq(true))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let issued_by = match by {
            Actor::Staff { id, .. } => Some(*id),
            Actor::System(_) => None,
        };
        let secret = Secret::generate();
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let row = api_token::ActiveModel {
            user_id: Set(user.id),
            name: Set(name.trim().to_owned()),
            hash: Set(secret.hash()),
            created_at: Set(now),
            expires_at: Set(now + Duration::days(i64::from(lifetime.in_days()))),
            owner_epoch: Set(user.session_epoch),
            issued_by: Set(issued_by),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let detail = serde_json::json!({
            "token_id": row.id,
            "owner_id": user.id,
            "owner": user.email,
            "name": row.name,
            "expires_at": row.expires_at,
            "in_someone_elses_name": issued_by != Some(user.id),
        });
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

    /// The staff member a bearer token acts for, while the token is in force.
    pub async fn authenticate(&self, presented: &str) -> Result<Option<Viewer>, DbErr> {
        let Some(hash) = presented.strip_prefix(PREFIX).and_then(secret::lookup_hash) else {
            return Ok(None);
        };
        let Some(found) = api_token::Entity::find().filter(api_token::Column::Hash.eq(hash)).one(&self.db).await?
        else {
            return Ok(None);
        };
        let Some(user) = staff_user::Entity::find_by_id(found.user_id).one(&self.db).await? else {
            return Ok(None);
        };
        let now = Utc::now();
        if standing(&found, &user, now) != TokenStanding::InForce {
            return Ok(None);
        }
        let Some(role) = Role::parse(&user.role) else {
            return Ok(None);
        };
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(found.id))
            .exec(&self.db)
            .await?;
        // A token carries no session, so no form token either.
        Ok(Some(Viewer { id: user.id, name: user.name, email: user.email, role, csrf: String::new() }))
    }

    /// The tokens in force, newest first, their days given in the
    /// organisation's calendar.
    pub async fn list(&self, clocks: &Clocks) -> Result<Vec<ApiTokenInfo>, DbErr> {
        let tokens = self.described(api_token::Entity::find().filter(api_token::Column::RevokedAt.is_null()), clocks);
        Ok(tokens.await?.into_iter().filter(|token| token.standing == TokenStanding::InForce).collect())
    }

    /// Every token ever issued in this staff member's name, newest first,
    /// whoever issued it and whether or not it still works.
    pub async fn of_owner(&self, owner: &Viewer, clocks: &Clocks) -> Result<Vec<ApiTokenInfo>, DbErr> {
        self.described(api_token::Entity::find().filter(api_token::Column::UserId.eq(owner.id)), clocks).await
    }

    async fn described(
        &self,
        tokens: sea_orm::Select<api_token::Entity>,
        clocks: &Clocks,
    ) -> Result<Vec<ApiTokenInfo>, DbErr> {
        let tokens = tokens.order_by_desc(api_token::Column::Id).all(&self.db).await?;
        let users = staff_user::Entity::find().all(&self.db).await?;
        let now = Utc::now();
        Ok(tokens
            .into_iter()
            .filter_map(|token| {
                let user = users.iter().find(|u| u.id == token.user_id)?;
                let issued_by = match token.issued_by {
                    Some(id) => users
                        .iter()
                        .find(|u| u.id == id)
                        .map_or_else(|| "a former colleague".into(), |u| u.name.clone()),
                    None => "the command line".to_owned(),
                };
                Some(ApiTokenInfo {
                    id: token.id,
                    standing: standing(&token, user, now),
                    owner: super::member(user, true)?,
                    issued_by,
                    name: token.name,
                    created_at: token.created_at,
                    created_on: clocks.local_date(token.created_at),
                    expires_at: token.expires_at,
                    expires_on: clocks.local_date(token.expires_at),
                    last_used_at: token.last_used_at,
                    last_used_on: token.last_used_at.map(|at| clocks.local_date(at)),
                })
            })
            .collect())
    }
}
