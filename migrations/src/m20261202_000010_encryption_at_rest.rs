//! Encryption at rest. The wrapped data keys and the blind-index key; the
//! progress of a key rotation, so that one interrupted carries on where it
//! stopped; and blind indexes on requests, which equality lookups use now
//! that the fields they look at are sealed. The index on `lower(email)` goes:
//! it would index ciphertext.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DataKeys {
    Table,
    Id,
    Purpose,
    Wrapped,
    CreatedAt,
}

#[derive(DeriveIden)]
enum KeyRotations {
    Table,
    KeyId,
    TableName,
    AfterId,
    Done,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    EmailIndex,
    AccountIndex,
    NameIndex,
}

const EMAIL_LOWER: &str = "idx_requests_email_lower";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DataKeys::Table)
                    .col(ColumnDef::new(DataKeys::Id).big_integer().not_null().primary_key())
                    .col(ColumnDef::new(DataKeys::Purpose).string_len(8).not_null())
                    .col(ColumnDef::new(DataKeys::Wrapped).text().not_null())
                    .col(ColumnDef::new(DataKeys::CreatedAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(KeyRotations::Table)
                    .col(ColumnDef::new(KeyRotations::KeyId).big_integer().not_null())
                    .col(ColumnDef::new(KeyRotations::TableName).string_len(32).not_null())
                    .col(ColumnDef::new(KeyRotations::AfterId).big_integer().not_null())
                    .col(ColumnDef::new(KeyRotations::Done).boolean().not_null())
                    .primary_key(Index::create().col(KeyRotations::KeyId).col(KeyRotations::TableName))
                    .to_owned(),
            )
            .await?;
        for column in [Requests::EmailIndex, Requests::AccountIndex, Requests::NameIndex] {
            let mut column = ColumnDef::new(column).text().null().to_owned();
            manager.alter_table(Table::alter().table(Requests::Table).add_column(&mut column).to_owned()).await?;
        }
        for (name, column) in
            [("idx_requests_email_index", Requests::EmailIndex), ("idx_requests_account_index", Requests::AccountIndex)]
        {
            manager.create_index(Index::create().name(name).table(Requests::Table).col(column).to_owned()).await?;
        }
        manager.get_connection().execute_unprepared(&format!("DROP INDEX {EMAIL_LOWER}")).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(&format!("CREATE INDEX {EMAIL_LOWER} ON requests (lower(email))"))
            .await?;
        for name in ["idx_requests_email_index", "idx_requests_account_index"] {
            manager.drop_index(Index::drop().name(name).table(Requests::Table).to_owned()).await?;
        }
        for column in [Requests::EmailIndex, Requests::AccountIndex, Requests::NameIndex] {
            manager.alter_table(Table::alter().table(Requests::Table).drop_column(column).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(KeyRotations::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(DataKeys::Table).to_owned()).await
    }
}
