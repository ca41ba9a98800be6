//! The email outbox, and what verifying a requester's email address needs.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
    VerifiedAt,
    VerificationHash,
    VerificationExpiresAt,
    VerificationSentAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    RequestId,
    Template,
    Recipient,
    Subject,
    TextBody,
    HtmlBody,
    Secret,
    MessageId,
    Status,
    Attempts,
    NextAttemptAt,
    LockedBy,
    LockedUntil,
    LastError,
    CreatedAt,
    SentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        for column in [
            timestamp_with_time_zone_null(Requests::VerifiedAt),
            string_len_null(Requests::VerificationHash, 64),
            timestamp_with_time_zone_null(Requests::VerificationExpiresAt),
            timestamp_with_time_zone_null(Requests::VerificationSentAt),
        ] {
            let mut column = column;
            manager.alter_table(Table::alter().table(Requests::Table).add_column(&mut column).to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_requests_verification_hash")
                    .table(Requests::Table)
                    .col(Requests::VerificationHash)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(big_pk_auto(Outbox::Id))
                    .col(big_integer_null(Outbox::RequestId))
                    .col(string_len(Outbox::Template, 32))
                    .col(text(Outbox::Recipient))
                    .col(text(Outbox::Subject))
                    .col(text(Outbox::TextBody))
                    .col(text(Outbox::HtmlBody))
                    // The private link a letter carries, so that it can be
                    // blanked out of the stored bodies once the letter is sent.
                    .col(text_null(Outbox::Secret))
                    .col(string_len_uniq(Outbox::MessageId, 200))
                    // pending, sent or failed
                    .col(string_len(Outbox::Status, 16))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(string_len_null(Outbox::LockedBy, 64))
                    .col(timestamp_with_time_zone_null(Outbox::LockedUntil))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_outbox_request")
                            .from(Outbox::Table, Outbox::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_due")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Outbox::Table).to_owned()).await?;
        manager
            .drop_index(Index::drop().name("idx_requests_verification_hash").table(Requests::Table).to_owned())
            .await?;
        for column in [
            Requests::VerifiedAt,
            Requests::VerificationHash,
            Requests::VerificationExpiresAt,
            Requests::VerificationSentAt,
        ] {
            manager.alter_table(Table::alter().table(Requests::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
