//! The language a request was made in (the one its requester's browser
//! asked for), so that staff know which to answer in. Requests made before
//! were made in English.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    Language,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut column = string_len(Requests::Language, 8).default("en").to_owned();
        manager.alter_table(Table::alter().table(Requests::Table).add_column(&mut column).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Requests::Table).drop_column(Requests::Language).to_owned()).await
    }
}
