//! Appeals: an appeal is a request of its own that points at the refused
//! request it appeals (`appeal_of`). The index is unique, so that a
//! request is appealed once however many times the form is sent; rows
//! that appeal nothing hold NULL, which both databases let repeat.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    AppealOf,
}

const INDEX: &str = "idx_requests_appeal_of";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut column = ColumnDef::new(Requests::AppealOf).big_integer().null().to_owned();
        manager.alter_table(Table::alter().table(Requests::Table).add_column(&mut column).to_owned()).await?;
        manager
            .create_index(
                Index::create().name(INDEX).table(Requests::Table).col(Requests::AppealOf).unique().to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(INDEX).table(Requests::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Requests::Table).drop_column(Requests::AppealOf).to_owned()).await
    }
}
