//! Requests and their history.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
    Reference,
    Kind,
    Status,
    Channel,
    TrackingHash,
    FullName,
    Email,
    Phone,
    PostalAddress,
    AccountNumber,
    Details,
    Gpc,
    ReceivedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RequestEvents {
    Table,
    Id,
    RequestId,
    At,
    Kind,
    CustomerVisible,
    Body,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Requests::Table)
                    .col(big_pk_auto(Requests::Id))
                    .col(string_len_uniq(Requests::Reference, 16))
                    .col(string_len(Requests::Kind, 24))
                    .col(string_len(Requests::Status, 24))
                    .col(string_len(Requests::Channel, 16))
                    // SHA-256 of the tracking token, hex: the token itself is never stored.
                    .col(string_len_uniq(Requests::TrackingHash, 64))
                    .col(text(Requests::FullName))
                    .col(text(Requests::Email))
                    .col(text_null(Requests::Phone))
                    .col(text_null(Requests::PostalAddress))
                    .col(text_null(Requests::AccountNumber))
                    .col(text(Requests::Details))
                    .col(boolean(Requests::Gpc).default(false))
                    .col(timestamp_with_time_zone(Requests::ReceivedAt))
                    .col(timestamp_with_time_zone(Requests::CreatedAt))
                    .col(timestamp_with_time_zone(Requests::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_requests_received_at")
                    .table(Requests::Table)
                    .col(Requests::ReceivedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RequestEvents::Table)
                    .col(big_pk_auto(RequestEvents::Id))
                    .col(big_integer(RequestEvents::RequestId))
                    .col(timestamp_with_time_zone(RequestEvents::At))
                    .col(string_len(RequestEvents::Kind, 32))
                    .col(boolean(RequestEvents::CustomerVisible))
                    .col(text_null(RequestEvents::Body))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_events_request")
                            .from(RequestEvents::Table, RequestEvents::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_request_events_request")
                    .table(RequestEvents::Table)
                    .col(RequestEvents::RequestId)
                    .col(RequestEvents::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(RequestEvents::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Requests::Table).to_owned()).await
    }
}
