//! Tracking links sent again: a customer who lost the first letter may ask
//! for their link by reference and email address. Each link sent again is
//! one more hash that opens the request; the first link keeps working, so
//! asking for a new one never breaks a letter the customer still has.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TrackingLinks {
    Table,
    Id,
    RequestId,
    Hash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrackingLinks::Table)
                    .col(big_pk_auto(TrackingLinks::Id))
                    .col(big_integer(TrackingLinks::RequestId))
                    // SHA-256 of the link's token, as `requests.tracking_hash`.
                    .col(string_len(TrackingLinks::Hash, 64).unique_key())
                    .col(timestamp_with_time_zone(TrackingLinks::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tracking_links_request")
                            .from(TrackingLinks::Table, TrackingLinks::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(TrackingLinks::Table).to_owned()).await
    }
}
