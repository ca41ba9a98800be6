//! Likely duplicates: a request that repeats an open one of the same kind
//! from the same person points at it (`duplicate_of`) until staff decide,
//! and one merged into it says so (`merged_into`). Both are looked up from
//! the earlier request's side, so each has its index.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    DuplicateOf,
    MergedInto,
}

const INDEXES: [(&str, Requests); 2] =
    [("idx_requests_duplicate_of", Requests::DuplicateOf), ("idx_requests_merged_into", Requests::MergedInto)];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for column in [Requests::DuplicateOf, Requests::MergedInto] {
            let mut column = ColumnDef::new(column).big_integer().null().to_owned();
            manager.alter_table(Table::alter().table(Requests::Table).add_column(&mut column).to_owned()).await?;
        }
        for (name, column) in INDEXES {
            manager.create_index(Index::create().name(name).table(Requests::Table).col(column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager.drop_index(Index::drop().name(name).table(Requests::Table).to_owned()).await?;
        }
        for column in [Requests::MergedInto, Requests::DuplicateOf] {
            manager.alter_table(Table::alter().table(Requests::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
