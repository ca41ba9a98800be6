//! `server seed --opt-outs N`: register entries for the register's
//! benchmarks. Each person `n` (`person<n>@example.com`, account `A-<n>`)
//! opts out once; one in ten has revoked since, one in five holds a joint
//! account opted out for all its holders. Written through the register's
//! one writer, a thousand to a transaction.

use std::time::Instant;

use app::domain::format::grouped;
use app::domain::register::{OptOutChange, OptOutSource};
use app::domain::request::{JointAccount, OptOutScope};
use chrono::{Days, NaiveDate, Utc};
use indicatif::ProgressBar;
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::register::{NewEntry, Person, record};
use crate::vault::Vault;

const PER_TRANSACTION: u64 = 1_000;

pub async fn run(db: &DatabaseConnection, vault: &Vault, count: u64) -> Result<(), String> {
    let started = Instant::now();
    let today = Utc::now().date_naive();
    let progress = ProgressBar::new(count);
    let (mut written, mut n) = (0_u64, 0_u64);
    while written < count {
        let txn = db.begin().await.map_err(|e| e.to_string())?;
        let mut in_transaction = 0;
        while in_transaction < PER_TRANSACTION && written < count {
            let entry = entry(n, today);
            let recorded = record(&txn, vault, &entry).await.map_err(|e| e.to_string())?;
            (written, in_transaction) = (written + 1, in_transaction + 1);
            if n.is_multiple_of(10) && written < count {
                let revoked = NewEntry {
                    opt_out: Some(recorded.opt_out),
                    change: OptOutChange::Revoked,
                    source: OptOutSource::Phone,
                    effective_on: today,
                    reason: Some("Asked by phone".to_owned()),
                    ..entry
                };
                record(&txn, vault, &revoked).await.map_err(|e| e.to_string())?;
                (written, in_transaction) = (written + 1, in_transaction + 1);
            }
            n += 1;
        }
        txn.commit().await.map_err(|e| e.to_string())?;
        progress.set_position(written);
    }
    progress.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Seeded {} opt-out register entries in {seconds:.1} s ({}/s).",
        grouped(count),
        grouped((count as f64 / seconds.max(0.001)) as u64)
    );
    Ok(())
}

fn entry(n: u64, today: NaiveDate) -> NewEntry {
    let name = format!("Person {n}");
    let joint = if n.is_multiple_of(5) { JointAccount::AllHolders } else { JointAccount::NotJoint };
    let holders = match joint {
        JointAccount::AllHolders => vec![name.clone(), format!("Partner {n}")],
        _ => vec![name.clone()],
    };
    NewEntry {
        opt_out: None,
        request_id: None,
        change: OptOutChange::InEffect,
        scope: if n.is_multiple_of(3) { OptOutScope::MarketingOnly } else { OptOutScope::AllSharing },
        joint_account: joint,
        source: [OptOutSource::WebForm, OptOutSource::Phone, OptOutSource::Mail, OptOutSource::Gpc][(n % 4) as usize],
        effective_on: today - Days::new(n % 700),
        recorded_by: None,
        person: Person {
            full_name: name,
            email: format!("person{n}@example.com"),
            postal_address: Some(format!("{n} Analytical Way")),
            account_number: Some(format!("A-{n}")),
            holders,
        },
        reason: None,
    }
}
