//! Staff accounts and their sessions, case handling columns on requests,
//! and the append-only audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StaffUsers {
    Table,
    Id,
    Email,
    Name,
    Role,
    PasswordHash,
    Active,
    SessionEpoch,
    InviteHash,
    InviteExpiresAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StaffSessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum SignInFailures {
    Table,
    Id,
    At,
    Email,
    Address,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    Actor,
    Action,
    RequestId,
    Detail,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
    Status,
    AssigneeId,
    Version,
    Outcome,
    ResolvedAt,
    DueOn,
    Clock,
    ClockState,
    Email,
}

#[derive(DeriveIden)]
enum RequestEvents {
    Table,
    ActorId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StaffUsers::Table)
                    .col(big_pk_auto(StaffUsers::Id))
                    // Stored lower-cased, so one address is one account.
                    .col(string_len_uniq(StaffUsers::Email, 254))
                    .col(text(StaffUsers::Name))
                    .col(string_len(StaffUsers::Role, 16))
                    // None until an invited person sets a password.
                    .col(text_null(StaffUsers::PasswordHash))
                    .col(boolean(StaffUsers::Active).default(true))
                    // Raising it signs the person out everywhere.
                    .col(big_integer(StaffUsers::SessionEpoch).default(0))
                    .col(string_len_null(StaffUsers::InviteHash, 64))
                    .col(timestamp_with_time_zone_null(StaffUsers::InviteExpiresAt))
                    .col(timestamp_with_time_zone(StaffUsers::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffSessions::Table)
                    .col(string_len(StaffSessions::Id, 64).primary_key())
                    .col(text(StaffSessions::Data))
                    .col(timestamp_with_time_zone(StaffSessions::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_staff_sessions_expiry")
                    .table(StaffSessions::Table)
                    .col(StaffSessions::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SignInFailures::Table)
                    .col(big_pk_auto(SignInFailures::Id))
                    .col(timestamp_with_time_zone(SignInFailures::At))
                    .col(string_len(SignInFailures::Email, 254))
                    .col(string_len(SignInFailures::Address, 64))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_sign_in_failures_email", SignInFailures::Email),
            ("idx_sign_in_failures_address", SignInFailures::Address),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(SignInFailures::Table)
                        .col(column)
                        .col(SignInFailures::At)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(text(AuditLog::Actor))
                    .col(string_len(AuditLog::Action, 48))
                    .col(big_integer_null(AuditLog::RequestId))
                    .col(text(AuditLog::Detail))
                    .col(string_len(AuditLog::PrevHash, 64))
                    .col(string_len(AuditLog::Hash, 64))
                    .to_owned(),
            )
            .await?;

        for column in [
            big_integer_null(Requests::AssigneeId),
            big_integer(Requests::Version).default(0).to_owned(),
            text_null(Requests::Outcome),
            timestamp_with_time_zone_null(Requests::ResolvedAt),
            // The response deadline in force, kept beside the full clock so
            // the queue can sort and filter by it with an index.
            date_null(Requests::DueOn),
            text_null(Requests::Clock),
            text_null(Requests::ClockState),
        ] {
            let mut column = column;
            manager.alter_table(Table::alter().table(Requests::Table).add_column(&mut column).to_owned()).await?;
        }
        let mut actor = big_integer_null(RequestEvents::ActorId);
        manager.alter_table(Table::alter().table(RequestEvents::Table).add_column(&mut actor).to_owned()).await?;

        for (name, columns) in [
            ("idx_requests_status_due", vec![Requests::Status, Requests::DueOn, Requests::Id]),
            ("idx_requests_assignee_due", vec![Requests::AssigneeId, Requests::DueOn, Requests::Id]),
            ("idx_requests_due", vec![Requests::DueOn, Requests::Id]),
            ("idx_requests_email", vec![Requests::Email]),
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
        for name in ["idx_requests_status_due", "idx_requests_assignee_due", "idx_requests_due", "idx_requests_email"] {
            manager.drop_index(Index::drop().name(name).table(Requests::Table).to_owned()).await?;
        }
        manager
            .alter_table(Table::alter().table(RequestEvents::Table).drop_column(RequestEvents::ActorId).to_owned())
            .await?;
        for column in [
            Requests::AssigneeId,
            Requests::Version,
            Requests::Outcome,
            Requests::ResolvedAt,
            Requests::DueOn,
            Requests::Clock,
            Requests::ClockState,
        ] {
            manager.alter_table(Table::alter().table(Requests::Table).drop_column(column).to_owned()).await?;
        }
        for table in [
            AuditLog::Table.into_iden(),
            SignInFailures::Table.into_iden(),
            StaffSessions::Table.into_iden(),
            StaffUsers::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
