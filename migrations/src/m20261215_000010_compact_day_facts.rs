//! The dashboard's kept day counts in a compact binary form instead of
//! JSON. A year is 730 kept parts of about 10 KB of JSON each at a million
//! requests: reading and parsing those 7 MB was most of a year view's time
//! (49 ms at the median on PostgreSQL, 2026-12-07). The table only keeps
//! what can be counted again, so it is made afresh, empty: the dashboard
//! counts the missing days and its keeper keeps them again.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MetricsDays {
    Table,
    Zone,
    Day,
    Part,
    Facts,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(MetricsDays::Table).to_owned()).await?;
        manager.create_table(table(ColumnDef::new(MetricsDays::Facts).blob().not_null().to_owned())).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(MetricsDays::Table).to_owned()).await?;
        manager.create_table(table(ColumnDef::new(MetricsDays::Facts).text().not_null().to_owned())).await
    }
}

fn table(facts: ColumnDef) -> TableCreateStatement {
    Table::create()
        .table(MetricsDays::Table)
        .col(ColumnDef::new(MetricsDays::Zone).string().not_null())
        .col(ColumnDef::new(MetricsDays::Day).date().not_null())
        .col(ColumnDef::new(MetricsDays::Part).string().not_null())
        .col(facts)
        .primary_key(Index::create().col(MetricsDays::Zone).col(MetricsDays::Day).col(MetricsDays::Part))
        .to_owned()
}
