//! The outcome's class and a resolved complaint's category, in plain text
//! beside the outcome, which is sealed from now on: the metrics count them
//! in SQL, and what staff wrote about a person's records stays out of it.
//! Rows already resolved get theirs from the outcome JSON while it is still
//! plain; the portal seals that JSON when it next starts. No index of its
//! own: every intake would write one more index page, and the count finds
//! its rows through the resolved-at index as it did before.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    OutcomeTag,
    OutcomeCategory,
}

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
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Requests::OutcomeTag, Requests::OutcomeCategory] {
            manager.alter_table(Table::alter().table(Requests::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
