//! The single-use links emailed to confirm an opt-out's revocation also
//! confirm the other actions a customer takes from an old tracking link (a
//! reply, a withdrawal): what the link is for, and the action waiting on
//! it, sealed like every other personal text. Existing links revoke.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OptOutRevocationLinks {
    Table,
    Purpose,
    Pending,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        let mut purpose =
            ColumnDef::new(OptOutRevocationLinks::Purpose).string_len(32).not_null().default("revoke").to_owned();
        manager
            .alter_table(Table::alter().table(OptOutRevocationLinks::Table).add_column(&mut purpose).to_owned())
            .await?;
        let mut pending = ColumnDef::new(OptOutRevocationLinks::Pending).text().null().to_owned();
        manager
            .alter_table(Table::alter().table(OptOutRevocationLinks::Table).add_column(&mut pending).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [OptOutRevocationLinks::Pending, OptOutRevocationLinks::Purpose] {
            manager
                .alter_table(Table::alter().table(OptOutRevocationLinks::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
