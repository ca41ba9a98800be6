//! How many letters anyone on the open internet may make the portal send to
//! one address in a day. Counted in the database, in the transaction that
//! writes the letters, so the cap holds however many instances run and a
//! submission that is not stored counts nothing.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, Statement};

use crate::vault::{Blind, Vault};

#[derive(Clone, Copy, Debug)]
pub struct RecipientAllowance {
    pub letters_per_day: u32,
}

impl RecipientAllowance {
    /// Counts `letters` more to the mailbox `recipient` (its
    /// [`recipient_key`]) on `day`, or nothing (and
    /// `false`) when that would pass the day's allowance. Concurrent callers
    /// are settled by the row: each increment is checked against the count
    /// as it stands when it is applied.
    pub async fn take(
        &self,
        txn: &impl ConnectionTrait,
        recipient: &str,
        day: NaiveDate,
        letters: u32,
    ) -> Result<bool, DbErr> {
        if letters > self.letters_per_day {
            return Ok(false);
        }
        let statement = Statement::from_sql_and_values(
            txn.get_database_backend(),
            "INSERT INTO letter_counts (recipient, day, letters) VALUES ($1, $2, $3) \
             ON CONFLICT (recipient, day) DO UPDATE SET letters = letter_counts.letters + excluded.letters \
             WHERE letter_counts.letters + excluded.letters <= $4 \
             RETURNING letters",
            [recipient.into(), day.into(), i64::from(letters).into(), i64::from(self.letters_per_day).into()],
        );
        Ok(txn.query_one_raw(statement).await?.is_some())
    }

    /// Uncounts `letters` taken for `recipient` on `day` in this same
    /// transaction, for a submission refused after its letters were counted.
    pub async fn give_back(
        &self,
        txn: &impl ConnectionTrait,
        recipient: &str,
        day: NaiveDate,
        letters: u32,
    ) -> Result<(), DbErr> {
        let statement = Statement::from_sql_and_values(
            txn.get_database_backend(),
            "UPDATE letter_counts SET letters = letters - $3 WHERE recipient = $1 AND day = $2",
            [recipient.into(), day.into(), i64::from(letters).into()],
        );
        txn.execute_raw(statement).await?;
        Ok(())
    }
}

/// Forgets the counts of days before `day`.
pub async fn forget_before(db: &impl ConnectionTrait, day: NaiveDate) -> Result<u64, DbErr> {
    let statement = Statement::from_sql_and_values(
        db.get_database_backend(),
        "DELETE FROM letter_counts WHERE day < $1",
        [day.into()],
    );
    Ok(db.execute_raw(statement).await?.rows_affected())
}

/// One mailbox, however its address is spelt: case and a `+tag` in the
/// local part do not make another inbox to fill. A blind index, since
/// counting needs no address in clear, and an unkeyed hash of an address
/// is found again by hashing likely addresses.
pub fn recipient_key(vault: &Vault, address: &str) -> String {
    let address = address.trim().to_lowercase();
    let mailbox = match address.rsplit_once('@') {
        Some((local, domain)) => format!("{}@{domain}", local.split('+').next().unwrap_or(local)),
        None => address,
    };
    vault.blind(Blind::Mailbox, &mailbox)
}

#[cfg(test)]
mod tests {
    use super::recipient_key;

    #[test]
    fn one_mailbox_is_one_count_however_it_is_spelt() {
        let vault = crate::vault::for_tests();
        let key = recipient_key(&vault, "ada@example.com");
        assert_eq!(recipient_key(&vault, " Ada@Example.COM "), key);
        assert_eq!(recipient_key(&vault, "ada+portal-7@example.com"), key);
        assert_ne!(recipient_key(&vault, "ada@example.org"), key);
        assert_eq!(key.len(), 64);
    }
}
