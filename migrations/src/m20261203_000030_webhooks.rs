//! Webhook endpoints, and their deliveries as rows of the outbox: a delivery
//! is written in the transaction of the event that causes it and sent by a
//! worker with the letters' lease, retries and final failed state.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookEndpoints {
    Table,
    Id,
    Url,
    Description,
    Events,
    Secret,
    PreviousSecret,
    PreviousUntil,
    Active,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Channel,
    EndpointId,
    ResponseStatus,
    LastAttemptAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WebhookEndpoints::Table)
                    .col(big_pk_auto(WebhookEndpoints::Id))
                    .col(string_len(WebhookEndpoints::Url, 2048))
                    .col(string_len(WebhookEndpoints::Description, 500))
                    // The event types wanted, space-separated.
                    .col(string_len(WebhookEndpoints::Events, 1000))
                    // Sealed by the vault: the signing secret, and the one it
                    // replaced, which still signs for a day after a rotation.
                    .col(text(WebhookEndpoints::Secret))
                    .col(text_null(WebhookEndpoints::PreviousSecret))
                    .col(timestamp_with_time_zone_null(WebhookEndpoints::PreviousUntil))
                    .col(boolean(WebhookEndpoints::Active))
                    .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                    .col(big_integer_null(WebhookEndpoints::CreatedBy))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(string_len(Outbox::Channel, 16).default("mail"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Outbox::Table).add_column(big_integer_null(Outbox::EndpointId)).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Outbox::Table).add_column(integer_null(Outbox::ResponseStatus)).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(timestamp_with_time_zone_null(Outbox::LastAttemptAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_outbox_endpoint").table(Outbox::Table).col(Outbox::EndpointId).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_outbox_endpoint").table(Outbox::Table).to_owned()).await?;
        for column in [Outbox::LastAttemptAt, Outbox::ResponseStatus, Outbox::EndpointId, Outbox::Channel] {
            manager.alter_table(Table::alter().table(Outbox::Table).drop_column(column).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(WebhookEndpoints::Table).to_owned()).await
    }
}
