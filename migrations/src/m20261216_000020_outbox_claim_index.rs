//! The outbox's index for claiming: a channel's due rows in the order they
//! fell due, so that a claim reads its batch and stops. The index it
//! replaces, on the status and the due time alone, made each claim read
//! every waiting row and sort them: under intake that was a backlog of
//! 20,000 letters read at every claim of 20, and the worker fell further
//! behind the more there was to send (2026-12-08).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Status,
    Channel,
    NextAttemptAt,
}

const CLAIM: &str = "idx_outbox_claim";
const DUE: &str = "idx_outbox_due";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::locks::take_whole(manager, &["outbox"]).await?;
        manager
            .create_index(
                Index::create()
                    .name(CLAIM)
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::Channel)
                    .col(Outbox::NextAttemptAt)
                    .col(Outbox::Id)
                    .to_owned(),
            )
            .await?;
        manager.drop_index(Index::drop().name(DUE).table(Outbox::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::locks::take_whole(manager, &["outbox"]).await?;
        manager
            .create_index(
                Index::create()
                    .name(DUE)
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager.drop_index(Index::drop().name(CLAIM).table(Outbox::Table).to_owned()).await
    }
}
