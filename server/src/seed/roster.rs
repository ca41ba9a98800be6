//! The seeded team: twelve agents, three managers and an administrator,
//! who have worked on the seeded requests.

use std::collections::HashSet;

use app::domain::Role;
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait};

use super::HISTORY_DAYS;
use crate::audit::{self, Actor};
use crate::db::entities::staff_user;
use crate::secret;

/// The team: twelve agents, three managers and an administrator.
pub(super) const ROSTER: &[(&str, Role)] = &[
    ("Maria Alvarez", Role::Agent),
    ("James Carter", Role::Agent),
    ("Priya Raman", Role::Agent),
    ("Daniel Okafor", Role::Agent),
    ("Emily Nguyen", Role::Agent),
    ("Robert Kowalski", Role::Agent),
    ("Aisha Thompson", Role::Agent),
    ("Kevin O'Brien", Role::Agent),
    ("Sofia Rossi", Role::Agent),
    ("Marcus Johnson", Role::Agent),
    ("Hannah Lee", Role::Agent),
    ("Luis Fernandez", Role::Agent),
    ("Grace Whitfield", Role::Manager),
    ("Samuel Brooks", Role::Manager),
    ("Nadia Haddad", Role::Manager),
    ("Thomas Reed", Role::Admin),
];

#[derive(Clone, Debug)]
pub(super) struct Member {
    pub(super) id: i64,
    pub(super) name: String,
}

#[derive(Clone, Debug)]
pub(super) struct Roster {
    pub(super) agents: Vec<Member>,
    pub(super) managers: Vec<Member>,
}

fn roster_email(name: &str) -> String {
    let local: String = name
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('.'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect();
    format!("{local}@staff.example")
}

/// Creates the accounts that are missing and reads back everyone's id. The
/// accounts share the hash of a random password nobody knows: they exist to
/// have worked on requests, not to sign in.
pub(super) async fn roster(db: &DatabaseConnection) -> Result<Roster, String> {
    let emails: Vec<String> = ROSTER.iter().map(|(name, _)| roster_email(name)).collect();
    let existing: HashSet<String> = staff_user::Entity::find()
        .filter(staff_user::Column::Email.is_in(emails.clone()))
        .all(db)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|user| user.email)
        .collect();
    if existing.len() < ROSTER.len() {
        let hash = crate::staff::passwords::hash(secret::random_hex()).await?;
        let txn = db.begin().await.map_err(|e| e.to_string())?;
        for ((name, role), email) in ROSTER.iter().zip(&emails) {
            if existing.contains(email) {
                continue;
            }
            staff_user::ActiveModel {
                email: Set(email.clone()),
                name: Set((*name).to_owned()),
                role: Set(role.as_str().to_owned()),
                password_hash: Set(Some(hash.clone())),
                active: Set(true),
                session_epoch: Set(0),
                created_at: Set(Utc::now() - Duration::days(HISTORY_DAYS + 30)),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(|e| e.to_string())?;
            let detail = serde_json::json!({ "email": email, "role": role.as_str() });
            audit::append(&txn, &Actor::System("seed"), "staff.created", None, detail)
                .await
                .map_err(|e| e.to_string())?;
        }
        txn.commit().await.map_err(|e| e.to_string())?;
    }
    let users = staff_user::Entity::find()
        .filter(staff_user::Column::Email.is_in(emails))
        .all(db)
        .await
        .map_err(|e| e.to_string())?;
    let members = |role: Role| -> Vec<Member> {
        users.iter().filter(|u| u.role == role.as_str()).map(|u| Member { id: u.id, name: u.name.clone() }).collect()
    };
    let roster = Roster { agents: members(Role::Agent), managers: members(Role::Manager) };
    if roster.agents.is_empty() || roster.managers.is_empty() {
        return Err("the seeded staff accounts exist but with other roles; remove them or seed another database".into());
    }
    Ok(roster)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::format::grouped;

    #[test]
    fn staff_addresses_are_plain() {
        assert_eq!(roster_email("Kevin O'Brien"), "kevin.obrien@staff.example");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
