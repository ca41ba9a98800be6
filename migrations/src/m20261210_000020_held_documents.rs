//! Documents sent through a tracking link too old to act by itself are
//! kept, sealed, until the customer follows the confirmation link mailed to
//! them: `held_until` is that link's expiry. Until then nobody sees them;
//! confirmed, it is cleared; unconfirmed, the daily sweep deletes them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::timestamp_with_time_zone_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RequestDocuments {
    Table,
    HeldUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut column = timestamp_with_time_zone_null(RequestDocuments::HeldUntil);
        manager.alter_table(Table::alter().table(RequestDocuments::Table).add_column(&mut column).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(RequestDocuments::Table).drop_column(RequestDocuments::HeldUntil).to_owned(),
            )
            .await
    }
}
