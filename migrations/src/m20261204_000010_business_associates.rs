//! The business associates that hold customers' information and rely on
//! it, which administrators list so that each accepted amendment can tell
//! them (45 CFR 164.526(c)(3)(ii)). Companies, not customers: kept in plain
//! text. A removed associate keeps its row, since notices name it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BusinessAssociates {
    Table,
    Id,
    Name,
    Email,
    ReliesOn,
    CreatedAt,
    CreatedBy,
    RemovedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BusinessAssociates::Table)
                    .col(big_pk_auto(BusinessAssociates::Id))
                    .col(string_len(BusinessAssociates::Name, 200))
                    .col(string_len(BusinessAssociates::Email, 254))
                    .col(string_len(BusinessAssociates::ReliesOn, 2000))
                    .col(timestamp_with_time_zone(BusinessAssociates::CreatedAt))
                    .col(big_integer_null(BusinessAssociates::CreatedBy))
                    .col(timestamp_with_time_zone_null(BusinessAssociates::RemovedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(BusinessAssociates::Table).to_owned()).await
    }
}
