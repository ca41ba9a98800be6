//! Signing in, so that a flood of wrong passwords can neither exhaust the
//! server's memory nor lock every colleague out. After OWASP's advice on
//! authentication:
//!
//! - Every attempt is written down before its password is checked, and
//!   counted together with every attempt already written, so attempts sent
//!   in parallel cannot all slip under a limit.
//! - Wrong passwords for one account from one address pause that account
//!   from that address. This is what a flood from one address trips; a
//!   colleague signing in to the same account from elsewhere is not held.
//! - Wrong passwords from one address, whatever the accounts, pause that
//!   address: guessing across accounts.
//! - Wrong passwords for one account from anywhere pause it everywhere. It
//!   takes many addresses together to trip it, and its window is short, so
//!   such a pause lifts minutes after they stop.
//! - Only so many password checks run at once (each holds ~19 MiB). An
//!   attempt beyond them is not checked, counts against nothing, and is
//!   asked to try again in a moment; nothing queues.
//!
//! A paused attempt is refused without looking at its password, so the
//! right one is refused too while the pause lasts, and counts against
//! nothing. An attempt whose password turns out right is struck out.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, Select, Set};

use super::{SessionStaff, StaffAccounts, StaffError, normalise_email, passwords};
use crate::db::entities::{sign_in_failure, staff_user};
use crate::secret;
use crate::vault::Blind;

/// At most this many wrong passwords within the window.
#[derive(Clone, Copy)]
struct Limit {
    attempts: u64,
    window: Duration,
}

const PER_ACCOUNT_FROM_ADDRESS: Limit = Limit { attempts: 5, window: Duration::minutes(15) };
const PER_ADDRESS: Limit = Limit { attempts: 20, window: Duration::minutes(15) };
const PER_ACCOUNT: Limit = Limit { attempts: 20, window: Duration::minutes(5) };

pub enum SignIn {
    Welcome(SessionStaff),
    Refused,
    /// Too many failures lately; try again after this many minutes.
    Paused {
        minutes: i64,
    },
    /// Every password check is taken; try again in a moment.
    Busy,
}

impl StaffAccounts {
    /// Signs in with what was typed into the form, from the client
    /// `address`. Nothing typed is written to the log.
    pub async fn sign_in(&self, email: &str, password: String, address: &str) -> Result<SignIn, StaffError> {
        let now = Utc::now();
        let attempt = sign_in_failure::ActiveModel {
            at: Set(now),
            // Whatever was typed, kept as a blind index: the counts need
            // equality only, and a mistyped line may be anyone's address.
            email: Set(self.mailer.outbox().vault().blind(Blind::Email, &normalise_email(email))),
            address: Set(address.chars().take(64).collect()),
            checked: Set(false),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        if let Some(limit) = self.passed_limit(&attempt, now).await? {
            self.strike(&attempt).await?;
            tracing::warn!(%address, "sign-in paused: too many recent failures");
            return Ok(SignIn::Paused { minutes: limit.window.num_minutes() });
        }
        let Ok(permit) = self.password_checks.try_acquire() else {
            self.strike(&attempt).await?;
            tracing::warn!(%address, "sign-in put off: every password check is in use");
            return Ok(SignIn::Busy);
        };
        let user = staff_user::Entity::find()
            .filter(staff_user::Column::Email.eq(normalise_email(email)))
            .one(&self.db)
            .await?;
        let stored = user.as_ref().filter(|u| u.active).and_then(|u| u.password_hash.clone());
        let matched = passwords::matches(password, stored).await;
        drop(permit);
        match user {
            Some(user) if matched && user.active => {
                self.strike(&attempt).await?;
                Ok(SignIn::Welcome(SessionStaff {
                    user_id: user.id,
                    epoch: user.session_epoch,
                    signed_in_at: Utc::now().timestamp(),
                    csrf: secret::random_hex(),
                }))
            }
            user => {
                tracing::warn!(account = user.map(|u| u.id), %address, "failed sign-in");
                Ok(SignIn::Refused)
            }
        }
    }

    /// The limit `attempt` would pass, if any. Each count includes the
    /// attempt itself and every attempt written before the count ran, so of
    /// attempts racing each other the last to count sees all the others.
    /// Only an attempt within the limit for its account from its address
    /// is marked checked and counted towards the other two limits, so a
    /// flood from one address weighs on the account elsewhere only as much
    /// as that first limit lets through.
    async fn passed_limit(&self, attempt: &sign_in_failure::Model, now: DateTime<Utc>) -> Result<Option<Limit>, DbErr> {
        let recent =
            |limit: Limit| sign_in_failure::Entity::find().filter(sign_in_failure::Column::At.gt(now - limit.window));
        let over = |limit: Limit, attempts: Select<sign_in_failure::Entity>| async move {
            Ok::<_, DbErr>((attempts.count(&self.db).await? > limit.attempts).then_some(limit))
        };
        let email = || sign_in_failure::Column::Email.eq(attempt.email.clone());
        let address = || sign_in_failure::Column::Address.eq(attempt.address.clone());
        let checked = || sign_in_failure::Column::Checked.eq(true);

        let pair = PER_ACCOUNT_FROM_ADDRESS;
        if let Some(limit) = over(pair, recent(pair).filter(email()).filter(address())).await? {
            return Ok(Some(limit));
        }
        sign_in_failure::Entity::update_many()
            .col_expr(sign_in_failure::Column::Checked, Expr::value(true))
            .filter(sign_in_failure::Column::Id.eq(attempt.id))
            .exec(&self.db)
            .await?;
        if let Some(limit) = over(PER_ACCOUNT, recent(PER_ACCOUNT).filter(email()).filter(checked())).await? {
            return Ok(Some(limit));
        }
        over(PER_ADDRESS, recent(PER_ADDRESS).filter(address()).filter(checked())).await
    }

    /// Strikes out an attempt that was right, or never checked.
    async fn strike(&self, attempt: &sign_in_failure::Model) -> Result<(), DbErr> {
        sign_in_failure::Entity::delete_by_id(attempt.id).exec(&self.db).await?;
        Ok(())
    }
}
