//! API tokens for other systems, and the record of which daily digests
//! went out.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    Hash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum DigestRuns {
    Table,
    Day,
    SentAt,
}

#[derive(DeriveIden)]
enum StaffUsers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(big_pk_auto(ApiTokens::Id))
                    .col(big_integer(ApiTokens::UserId))
                    .col(text(ApiTokens::Name))
                    // SHA-256 of the token: the token itself is shown once and never stored.
                    .col(string_len_uniq(ApiTokens::Hash, 64))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_tokens_user")
                            .from(ApiTokens::Table, ApiTokens::UserId)
                            .to(StaffUsers::Table, StaffUsers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DigestRuns::Table)
                    // One row per local day: whichever instance writes it sends that day's digest.
                    .col(date(DigestRuns::Day).primary_key())
                    .col(timestamp_with_time_zone(DigestRuns::SentAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DigestRuns::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ApiTokens::Table).to_owned()).await
    }
}
