//! Indexes for the managers' dashboard. Each holds every column its
//! aggregate reads, so counting a period walks the index alone and never
//! the wide request rows (contact details, answers, clock JSON).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    Kind,
    Status,
    Channel,
    ReceivedAt,
    VerifiedAt,
    ResolvedAt,
    DueOn,
    AssigneeId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, columns) in [
            // Requests received in a period: the chart and verification.
            (
                "idx_requests_metrics_received",
                vec![Requests::ReceivedAt, Requests::Kind, Requests::Channel, Requests::VerifiedAt],
            ),
            // Requests finished in a period: timeliness, days to resolve, work done.
            (
                "idx_requests_metrics_resolved",
                vec![
                    Requests::ResolvedAt,
                    Requests::Kind,
                    Requests::Status,
                    Requests::ReceivedAt,
                    Requests::DueOn,
                    Requests::AssigneeId,
                ],
            ),
            // Requests open today: the backlog, overdue requests and open work.
            (
                "idx_requests_metrics_open",
                vec![Requests::Status, Requests::Kind, Requests::ReceivedAt, Requests::DueOn, Requests::AssigneeId],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Requests::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_requests_metrics_received", "idx_requests_metrics_resolved", "idx_requests_metrics_open"] {
            manager.drop_index(Index::drop().name(name).table(Requests::Table).to_owned()).await?;
        }
        Ok(())
    }
}
