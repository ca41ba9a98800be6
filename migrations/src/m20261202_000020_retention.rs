//! Retention: a legal hold on a request, the mark of a request whose
//! personal data was removed (and under which rule), and the record of
//! which daily purges ran, so that one instance runs each day's.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    HeldAt,
    HoldReason,
    PurgedAt,
    PurgedUnder,
}

#[derive(DeriveIden)]
enum PurgeRuns {
    Table,
    Day,
    RanAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        for column in [
            timestamp_with_time_zone_null(Requests::HeldAt),
            text_null(Requests::HoldReason),
            timestamp_with_time_zone_null(Requests::PurgedAt),
            // The citation of the retention rule that let the data go, as it
            // read that day: the rules file may change later.
            text_null(Requests::PurgedUnder),
        ] {
            let mut column = column;
            manager.alter_table(Table::alter().table(Requests::Table).add_column(&mut column).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(PurgeRuns::Table)
                    // One row per local day: whichever instance writes it runs that day's purge.
                    .col(date(PurgeRuns::Day).primary_key())
                    .col(timestamp_with_time_zone(PurgeRuns::RanAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PurgeRuns::Table).to_owned()).await?;
        for column in [Requests::HeldAt, Requests::HoldReason, Requests::PurgedAt, Requests::PurgedUnder] {
            manager.alter_table(Table::alter().table(Requests::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
