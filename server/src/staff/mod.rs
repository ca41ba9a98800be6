//! Staff accounts: signing in, invitations, roles, who is behind a
//! session, and the queue views each keeps for themselves.

pub mod passwords;
pub mod saved_views;
pub mod sessions;
mod sign_in;
pub mod tokens;

use std::num::NonZeroU32;
use std::sync::Arc;

use app::domain::accounts::AccountKind;
use app::domain::case::StaffMember;
use app::domain::{Language, Role, Viewer};
use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, SqlErr, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use crate::audit::{self, Actor};
use crate::db::entities::{api_token, staff_user};
use crate::mail::{Letter, Mailer};
use crate::secret::{self, Secret};
pub use sign_in::SignIn;

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("password hashing: {0}")]
    Hashing(String),
    #[error("a letter cannot be composed: {0}")]
    Letter(#[from] minijinja::Error),
}

/// What a session remembers of its staff member. The epoch must still match
/// the account's, so raising it ends every session at once.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionStaff {
    pub user_id: i64,
    pub epoch: i64,
    pub signed_in_at: i64,
    pub csrf: String,
}

/// The session key [`SessionStaff`] lives under.
pub const SESSION_KEY: &str = "staff";

/// How long an invitation link works.
const INVITE_TTL: Duration = Duration::days(7);

/// What came of a change to a staff account.
#[derive(Debug, PartialEq, Eq)]
pub enum AccountChange {
    Done,
    NoSuchAccount,
    /// Refused: it would leave nobody able to manage staff.
    LastAdministrator,
}

/// What came of an invitation.
pub enum Invite {
    Sent,
    AlreadyExists,
}

#[derive(Clone)]
pub struct StaffAccounts {
    db: DatabaseConnection,
    /// Where pages read; see [`crate::db::reader`]. The writer until
    /// [`Self::reading_from`] says otherwise.
    read: DatabaseConnection,
    mailer: Mailer,
    /// Sessions end this long after sign-in, however busy.
    pub absolute_limit: Duration,
    /// One permit for each password check that may run at once.
    password_checks: Arc<Semaphore>,
}

pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl StaffAccounts {
    pub fn new(db: DatabaseConnection, mailer: Mailer, absolute_limit: Duration, password_checks: NonZeroU32) -> Self {
        let password_checks = Arc::new(Semaphore::new(usize::try_from(password_checks.get()).unwrap_or(1)));
        Self { read: db.clone(), db, mailer, absolute_limit, password_checks }
    }

    /// Looks up sessions' accounts and lists staff through `reader` (see [`crate::db::reader`]).
    pub fn reading_from(mut self, reader: DatabaseConnection) -> Self {
        self.read = reader;
        self
    }

    /// The staff member a session stands for, while the account is active,
    /// the session is not older than the absolute limit, and nobody has
    /// signed the account out everywhere since.
    pub async fn viewer(&self, session: &SessionStaff) -> Result<Option<Viewer>, StaffError> {
        if Utc::now().timestamp() - session.signed_in_at > self.absolute_limit.num_seconds() {
            return Ok(None);
        }
        let Some(user) = staff_user::Entity::find_by_id(session.user_id).one(&self.read).await? else {
            return Ok(None);
        };
        let Some(role) = Role::parse(&user.role) else {
            return Ok(None);
        };
        Ok((user.active && user.session_epoch == session.epoch).then(|| Viewer {
            id: user.id,
            name: user.name,
            email: user.email,
            role,
            csrf: session.csrf.clone(),
        }))
    }

    /// Ends every session of this account, on every device.
    pub async fn sign_out_everywhere(&self, viewer: &Viewer) -> Result<(), StaffError> {
        let txn = self.db.begin().await?;
        bump_epoch(&txn, viewer.id).await?;
        audit::append(&txn, &actor(viewer), "staff.signed_out_everywhere", None, serde_json::json!({})).await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn list(&self) -> Result<Vec<StaffMember>, StaffError> {
        let users = staff_user::Entity::find().order_by_asc(staff_user::Column::Name).all(&self.read).await?;
        let holders: std::collections::HashSet<i64> = api_token::Entity::find()
            .select_only()
            .column(api_token::Column::UserId)
            .distinct()
            .into_tuple::<i64>()
            .all(&self.read)
            .await?
            .into_iter()
            .collect();
        Ok(users.into_iter().filter_map(|user| member(&user, holders.contains(&user.id))).collect())
    }

    /// Creates an account without a password and emails its owner a link to
    /// choose one.
    pub async fn invite(&self, by: &Viewer, name: &str, email: &str, role: Role) -> Result<Invite, StaffError> {
        let email = normalise_email(email);
        let secret = Secret::generate();
        let letter = self.mailer.compose(
            &Letter::StaffInvite {
                name: name.trim(),
                invited_by: &by.name,
                role: role.label(),
                welcome_url: &self.mailer.link(&format!("staff/welcome/{}", secret.expose())),
                valid_days: INVITE_TTL.num_days() as u32,
            },
            Language::En,
        )?;
        let txn = self.db.begin().await?;
        let inserted = staff_user::ActiveModel {
            email: Set(email.clone()),
            name: Set(name.trim().to_owned()),
            role: Set(role.as_str().to_owned()),
            password_hash: Set(None),
            active: Set(true),
            session_epoch: Set(0),
            invite_hash: Set(Some(secret.hash())),
            invite_expires_at: Set(Some(Utc::now() + INVITE_TTL)),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        match inserted {
            Ok(_) => {}
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                return Ok(Invite::AlreadyExists);
            }
            Err(e) => return Err(e.into()),
        }
        let detail = serde_json::json!({ "email": email, "role": role.as_str() });
        audit::append(&txn, &actor(by), "staff.invited", None, detail).await?;
        self.mailer.enqueue(&txn, None, &email, letter).await?;
        txn.commit().await?;
        self.mailer.wake();
        Ok(Invite::Sent)
    }

    /// Sets the password of an invited account. `Ok(false)` when the link is
    /// unknown, used or expired.
    pub async fn accept_invite(&self, presented: &str, password: String) -> Result<bool, StaffError> {
        let Some(hash) = secret::lookup_hash(presented) else {
            return Ok(false);
        };
        let Some(user) = staff_user::Entity::find()
            .filter(staff_user::Column::InviteHash.eq(hash.clone()))
            .filter(staff_user::Column::InviteExpiresAt.gt(Utc::now()))
            .one(&self.db)
            .await?
        else {
            return Ok(false);
        };
        let password_hash = passwords::hash(password).await.map_err(StaffError::Hashing)?;
        let txn = self.db.begin().await?;
        let updated = staff_user::Entity::update_many()
            .col_expr(staff_user::Column::PasswordHash, Expr::value(password_hash))
            .col_expr(staff_user::Column::InviteHash, Expr::value(Option::<String>::None))
            .filter(staff_user::Column::Id.eq(user.id))
            .filter(staff_user::Column::InviteHash.eq(hash))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Ok(false);
        }
        let who = Actor::Staff { id: user.id, email: user.email };
        audit::append(&txn, &who, "staff.password_set", None, serde_json::json!({})).await?;
        txn.commit().await?;
        Ok(true)
    }

    pub async fn is_invite_open(&self, presented: &str) -> Result<bool, StaffError> {
        let Some(hash) = secret::lookup_hash(presented) else {
            return Ok(false);
        };
        Ok(staff_user::Entity::find()
            .filter(staff_user::Column::InviteHash.eq(hash))
            .filter(staff_user::Column::InviteExpiresAt.gt(Utc::now()))
            .count(&self.db)
            .await?
            > 0)
    }

    /// Changes a colleague's role; their sessions end so the new role takes
    /// effect at once.
    pub async fn set_role(&self, by: &Viewer, id: i64, role: Role) -> Result<AccountChange, StaffError> {
        self.change(by, id, "staff.role_changed", serde_json::json!({ "role": role.as_str() }), |update| {
            update.col_expr(staff_user::Column::Role, Expr::value(role.as_str()))
        })
        .await
    }

    pub async fn set_active(&self, by: &Viewer, id: i64, active: bool) -> Result<AccountChange, StaffError> {
        let action = if active { "staff.enabled" } else { "staff.disabled" };
        self.change(by, id, action, serde_json::json!({}), |update| {
            update.col_expr(staff_user::Column::Active, Expr::value(active))
        })
        .await
    }

    /// Changes one account and ends its sessions, unless that would leave no
    /// active administrator: the last one cannot demote or disable
    /// themselves, as nobody would be left to undo it.
    async fn change(
        &self,
        by: &Viewer,
        id: i64,
        action: &str,
        detail: serde_json::Value,
        set: impl FnOnce(sea_orm::UpdateMany<staff_user::Entity>) -> sea_orm::UpdateMany<staff_user::Entity>,
    ) -> Result<AccountChange, StaffError> {
        let txn = self.db.begin().await?;
        // Two administrators demoting themselves at once on PostgreSQL: the
        // second waits here for the first, then counts what it left.
        active_administrators().lock_exclusive().all(&txn).await?;
        let updated = set(staff_user::Entity::update_many())
            .col_expr(staff_user::Column::SessionEpoch, Expr::col(staff_user::Column::SessionEpoch).add(1))
            .filter(staff_user::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Ok(AccountChange::NoSuchAccount);
        }
        if active_administrators().count(&txn).await? == 0 {
            return Ok(AccountChange::LastAdministrator);
        }
        let mut detail = detail;
        detail["staff_id"] = id.into();
        audit::append(&txn, &actor(by), action, None, detail).await?;
        txn.commit().await?;
        Ok(AccountChange::Done)
    }
}

fn active_administrators() -> sea_orm::Select<staff_user::Entity> {
    staff_user::Entity::find()
        .filter(staff_user::Column::Role.eq(Role::Admin.as_str()))
        .filter(staff_user::Column::Active.eq(true))
}

/// Creates an account with a password, as the command line does for the
/// first administrator. `Ok(false)` when the address already has one.
pub async fn create_account(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    role: Role,
    password: String,
) -> Result<bool, StaffError> {
    let hash = passwords::hash(password).await.map_err(StaffError::Hashing)?;
    let txn = db.begin().await?;
    let inserted = staff_user::ActiveModel {
        email: Set(normalise_email(email)),
        name: Set(name.trim().to_owned()),
        role: Set(role.as_str().to_owned()),
        password_hash: Set(Some(hash)),
        active: Set(true),
        session_epoch: Set(0),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(user) => {
            let detail = serde_json::json!({ "email": user.email, "role": user.role });
            audit::append(&txn, &Actor::System("command line"), "staff.created", None, detail).await?;
            txn.commit().await?;
            Ok(true)
        }
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

async fn bump_epoch(txn: &impl sea_orm::ConnectionTrait, id: i64) -> Result<(), DbErr> {
    staff_user::Entity::update_many()
        .col_expr(staff_user::Column::SessionEpoch, Expr::col(staff_user::Column::SessionEpoch).add(1))
        .filter(staff_user::Column::Id.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

/// The audit log's name for a staff member.
pub fn actor(viewer: &Viewer) -> Actor {
    Actor::Staff { id: viewer.id, email: viewer.email.clone() }
}

/// An account as staff pages list it.
pub fn member(user: &staff_user::Model, holds_api_token: bool) -> Option<StaffMember> {
    Some(StaffMember {
        id: user.id,
        role: Role::parse(&user.role)?,
        name: user.name.clone(),
        email: user.email.clone(),
        active: user.active,
        kind: AccountKind::of(user.password_hash.is_some(), holds_api_token),
    })
}
