//! Limits on what the open internet can make the portal do. How many letters
//! the public has made it send each address today, kept in the database so
//! that the cap holds across every instance. And sign-in attempts are now
//! written before their password is checked: an attempt is `checked` once it
//! has passed the limit for its account from its address.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LetterCounts {
    Table,
    Recipient,
    Day,
    Letters,
}

#[derive(DeriveIden)]
enum SignInFailures {
    Table,
    Checked,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LetterCounts::Table)
                    // A hash of the address: counting needs no address in clear.
                    .col(ColumnDef::new(LetterCounts::Recipient).string_len(64).not_null())
                    .col(ColumnDef::new(LetterCounts::Day).date().not_null())
                    .col(ColumnDef::new(LetterCounts::Letters).integer().not_null())
                    .primary_key(Index::create().col(LetterCounts::Recipient).col(LetterCounts::Day))
                    .to_owned(),
            )
            .await?;
        // Rows from before were all checked, and wrong.
        let mut checked = ColumnDef::new(SignInFailures::Checked).boolean().not_null().default(true).to_owned();
        manager.alter_table(Table::alter().table(SignInFailures::Table).add_column(&mut checked).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(SignInFailures::Table).drop_column(SignInFailures::Checked).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(LetterCounts::Table).to_owned()).await
    }
}
