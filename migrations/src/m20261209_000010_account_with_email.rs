//! The duplicate check asks for the earlier requests with an account number
//! and no email address. With an index on the account number alone, SQLite
//! read every request of that account to test each for its address, at
//! every submission: a crowd sending with one account number (or one person
//! many times) made intake slower with each request. The index now carries
//! the email index after the account, which serves both that lookup and
//! the account number alone, so the table keeps as many indexes as before.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    AccountIndex,
    EmailIndex,
}

const ACCOUNT_ALONE: &str = "idx_requests_account_index";
const ACCOUNT_WITH_EMAIL: &str = "idx_requests_account_email";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(ACCOUNT_WITH_EMAIL)
                    .table(Requests::Table)
                    .col(Requests::AccountIndex)
                    .col(Requests::EmailIndex)
                    .to_owned(),
            )
            .await?;
        manager.drop_index(Index::drop().name(ACCOUNT_ALONE).table(Requests::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create().name(ACCOUNT_ALONE).table(Requests::Table).col(Requests::AccountIndex).to_owned(),
            )
            .await?;
        manager.drop_index(Index::drop().name(ACCOUNT_WITH_EMAIL).table(Requests::Table).to_owned()).await
    }
}
