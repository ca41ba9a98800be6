//! API tokens that end: each has a lifetime chosen when it is issued, works
//! only while its owner's sessions would (the owner's session epoch when it
//! was issued), and remembers who issued it, so that its owner can see
//! tokens issued in their name.
//!
//! Tokens issued before lifetimes existed get the default one from the day
//! of the upgrade, and the owner's epoch of that day.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    UserId,
    ExpiresAt,
    OwnerEpoch,
    IssuedBy,
}

#[derive(DeriveIden)]
enum StaffUsers {
    Table,
    Id,
    SessionEpoch,
}

/// The lifetime given to tokens that had none, as the portal's default.
const DAYS_FOR_OLD_TOKENS: i64 = 90;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let add = |column: ColumnDef| Table::alter().table(ApiTokens::Table).add_column(column).to_owned();
        manager
            .alter_table(add(ColumnDef::new(ApiTokens::ExpiresAt).timestamp_with_time_zone().null().to_owned()))
            .await?;
        manager
            .alter_table(add(ColumnDef::new(ApiTokens::OwnerEpoch).big_integer().not_null().default(0).to_owned()))
            .await?;
        // The issuing staff member's id; empty when the command line issued it.
        manager.alter_table(add(ColumnDef::new(ApiTokens::IssuedBy).big_integer().null().to_owned())).await?;
        // Bound as a value, so SQLite stores it in the same form as the
        // portal's own writes and comparisons stay in order.
        let expires = chrono::Utc::now() + chrono::Duration::days(DAYS_FOR_OLD_TOKENS);
        let owner_epoch = Query::select()
            .column((StaffUsers::Table, StaffUsers::SessionEpoch))
            .from(StaffUsers::Table)
            .and_where(Expr::col((StaffUsers::Table, StaffUsers::Id)).equals((ApiTokens::Table, ApiTokens::UserId)))
            .to_owned();
        manager
            .exec_stmt(
                Query::update()
                    .table(ApiTokens::Table)
                    .value(ApiTokens::ExpiresAt, expires)
                    .value(
                        ApiTokens::OwnerEpoch,
                        Expr::SubQuery(None, Box::new(owner_epoch.into_sub_query_statement())),
                    )
                    .to_owned(),
            )
            .await?;
        // SQLite cannot add NOT NULL to a column it has; every write sets it.
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .alter_table(
                    Table::alter()
                        .table(ApiTokens::Table)
                        .modify_column(ColumnDef::new(ApiTokens::ExpiresAt).timestamp_with_time_zone().not_null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [ApiTokens::IssuedBy, ApiTokens::OwnerEpoch, ApiTokens::ExpiresAt] {
            manager.alter_table(Table::alter().table(ApiTokens::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
