//! The outcome's class and a resolved complaint's category, in plain text
//! beside the outcome, which is sealed from now on: the metrics count them
//! in SQL, and what staff wrote about a person's records stays out of it.
//! Rows already resolved get theirs from the outcome JSON while it is still
//! plain; the portal seals that JSON when it next starts. The index holds
//! every column the outcome count reads, as the other metrics indexes do.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    ResolvedAt,
    Kind,
    OutcomeTag,
    OutcomeCategory,
}

const INDEX: &str = "idx_requests_metrics_outcome";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Requests::OutcomeTag, Requests::OutcomeCategory] {
            let mut column = ColumnDef::new(column).string_len(32).null().to_owned();
            manager.alter_table(Table::alter().table(Requests::Table).add_column(&mut column).to_owned()).await?;
        }
        let field = |name: &str| match manager.get_database_backend() {
            DatabaseBackend::Postgres => format!("(outcome::json ->> '{name}')"),
            _ => format!("json_extract(outcome, '$.{name}')"),
        };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "UPDATE requests SET outcome_tag = {}, outcome_category = {} \
                 WHERE outcome IS NOT NULL AND outcome LIKE '{{%'",
                field("outcome"),
                field("category"),
            ))
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Requests::Table)
                    .col(Requests::ResolvedAt)
                    .col(Requests::Kind)
                    .col(Requests::OutcomeTag)
                    .col(Requests::OutcomeCategory)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(INDEX).table(Requests::Table).to_owned()).await?;
        for column in [Requests::OutcomeTag, Requests::OutcomeCategory] {
            manager.alter_table(Table::alter().table(Requests::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
