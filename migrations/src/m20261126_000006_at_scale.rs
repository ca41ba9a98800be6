//! Shaped by a million requests. For the queue: an assignee filter is nearly
//! always asked together with the open statuses, so it follows the status,
//! and a search for an address compares it case-blind, so the index holds
//! the lowered address. For the dashboard: counts of days before today are
//! kept in `metrics_days`, and the rows changed since they were counted are
//! found by `updated_at`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    Status,
    AssigneeId,
    DueOn,
    Id,
    Email,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MetricsDays {
    Table,
    Zone,
    Day,
    Part,
    Facts,
}

#[derive(DeriveIden)]
enum MetricsWatermark {
    Table,
    Zone,
    CheckedAt,
}

const EMAIL_LOWER: &str = "idx_requests_email_lower";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_requests_assignee_due").table(Requests::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name("idx_requests_email").table(Requests::Table).to_owned()).await?;
        manager
            .create_index(index(
                "idx_requests_status_assignee_due",
                [Requests::Status, Requests::AssigneeId, Requests::DueOn, Requests::Id],
            ))
            .await?;
        manager.create_index(index("idx_requests_updated_at", [Requests::UpdatedAt])).await?;
        manager
            .create_table(
                Table::create()
                    .table(MetricsDays::Table)
                    .col(ColumnDef::new(MetricsDays::Zone).string().not_null())
                    .col(ColumnDef::new(MetricsDays::Day).date().not_null())
                    .col(ColumnDef::new(MetricsDays::Part).string().not_null())
                    .col(ColumnDef::new(MetricsDays::Facts).text().not_null())
                    .primary_key(Index::create().col(MetricsDays::Zone).col(MetricsDays::Day).col(MetricsDays::Part))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MetricsWatermark::Table)
                    .col(ColumnDef::new(MetricsWatermark::Zone).string().not_null().primary_key())
                    .col(ColumnDef::new(MetricsWatermark::CheckedAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;
        // Both databases index an expression with the same statement.
        manager
            .get_connection()
            .execute_unprepared(&format!("CREATE INDEX {EMAIL_LOWER} ON requests (lower(email))"))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(&format!("DROP INDEX {EMAIL_LOWER}")).await?;
        manager.drop_table(Table::drop().table(MetricsWatermark::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(MetricsDays::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name("idx_requests_updated_at").table(Requests::Table).to_owned()).await?;
        manager
            .drop_index(Index::drop().name("idx_requests_status_assignee_due").table(Requests::Table).to_owned())
            .await?;
        manager
            .create_index(index("idx_requests_assignee_due", [Requests::AssigneeId, Requests::DueOn, Requests::Id]))
            .await?;
        manager.create_index(index("idx_requests_email", [Requests::Email])).await?;
        Ok(())
    }
}

fn index<const N: usize>(name: &str, columns: [Requests; N]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(Requests::Table);
    for column in columns {
        index.col(column);
    }
    index.to_owned()
}
