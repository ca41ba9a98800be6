//! The portal's schema, one migration per change, for SQLite and PostgreSQL
//! alike. Migrations run at start-up and with `server migrate`.

pub use sea_orm_migration::prelude::*;

mod locks;

mod m20261125_000001_requests;
mod m20261125_000002_outbox;
mod m20261125_000003_staff;
mod m20261125_000004_api_and_digest;
mod m20261126_000005_metrics_indexes;
mod m20261126_000006_at_scale;
mod m20261201_000007_public_limits;
mod m20261201_000008_api_token_lifetime;
mod m20261202_000010_encryption_at_rest;
mod m20261202_000020_retention;
mod m20261202_000030_tracking_links;
mod m20261203_000010_outcome_tag;
mod m20261203_000020_opt_out_register;
mod m20261203_000030_webhooks;
mod m20261204_000010_business_associates;
mod m20261206_000010_confirmation_links;
mod m20261206_000030_duplicates;
mod m20261206_000030_letter_versions;
mod m20261207_000010_saved_views;
mod m20261208_000010_request_documents;
mod m20261209_000010_account_with_email;
mod m20261210_000010_appeals;
mod m20261210_000020_held_documents;
mod m20261210_000030_agents;
mod m20261210_000040_request_language;
mod m20261211_000010_letter_language;
mod m20261212_000010_name_search;
mod m20261213_000010_open_due;
mod m20261214_000010_name_words;
mod m20261214_000020_received_status;
mod m20261215_000010_compact_day_facts;
mod m20261216_000010_outbox_bodies;
mod m20261216_000020_outbox_claim_index;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_requests::Migration),
            Box::new(m20261125_000002_outbox::Migration),
            Box::new(m20261125_000003_staff::Migration),
            Box::new(m20261125_000004_api_and_digest::Migration),
            Box::new(m20261126_000005_metrics_indexes::Migration),
            Box::new(m20261126_000006_at_scale::Migration),
            Box::new(m20261201_000007_public_limits::Migration),
            Box::new(m20261201_000008_api_token_lifetime::Migration),
            Box::new(m20261202_000010_encryption_at_rest::Migration),
            Box::new(m20261202_000020_retention::Migration),
            Box::new(m20261202_000030_tracking_links::Migration),
            Box::new(m20261203_000010_outcome_tag::Migration),
            Box::new(m20261203_000020_opt_out_register::Migration),
            Box::new(m20261203_000030_webhooks::Migration),
            Box::new(m20261204_000010_business_associates::Migration),
            Box::new(m20261206_000010_confirmation_links::Migration),
            Box::new(m20261206_000030_duplicates::Migration),
            Box::new(m20261206_000030_letter_versions::Migration),
            Box::new(m20261207_000010_saved_views::Migration),
            Box::new(m20261208_000010_request_documents::Migration),
            Box::new(m20261209_000010_account_with_email::Migration),
            Box::new(m20261210_000010_appeals::Migration),
            Box::new(m20261210_000020_held_documents::Migration),
            Box::new(m20261210_000030_agents::Migration),
            Box::new(m20261210_000040_request_language::Migration),
            Box::new(m20261211_000010_letter_language::Migration),
            Box::new(m20261212_000010_name_search::Migration),
            Box::new(m20261213_000010_open_due::Migration),
            Box::new(m20261214_000010_name_words::Migration),
            Box::new(m20261214_000020_received_status::Migration),
            Box::new(m20261215_000010_compact_day_facts::Migration),
            Box::new(m20261216_000010_outbox_bodies::Migration),
            Box::new(m20261216_000020_outbox_claim_index::Migration),
        ]
    }
}
