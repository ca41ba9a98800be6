//! The opt-out register: one dated entry per change to an opt-out (in
//! effect, changed, revoked), never updated, so it can say who was opted out
//! on any past day. Its id is also the change feed's position: writers take
//! one lock until commit, so ids become visible in the order they were
//! given. Beside it, the single-use links that let a customer confirm by
//! email that they want their opt-out revoked.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OptOutEntries {
    Table,
    Id,
    Uid,
    OptOutUid,
    RequestId,
    Change,
    Scope,
    JointAccount,
    Source,
    EffectiveOn,
    RecordedAt,
    RecordedBy,
    FullName,
    Email,
    PostalAddress,
    AccountNumber,
    Holders,
    Reason,
    EmailIndex,
    AccountIndex,
    NameIndex,
}

#[derive(DeriveIden)]
enum OptOutRevocationLinks {
    Table,
    Id,
    RequestId,
    Hash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OptOutEntries::Table)
                    .col(big_pk_auto(OptOutEntries::Id))
                    // Random, fixed before the row is written: what its sealed
                    // columns are bound to.
                    .col(string_len(OptOutEntries::Uid, 32).unique_key())
                    // The first entry of the opt-out this entry is about.
                    .col(string_len(OptOutEntries::OptOutUid, 32))
                    .col(big_integer_null(OptOutEntries::RequestId))
                    .col(string_len(OptOutEntries::Change, 16))
                    .col(string_len(OptOutEntries::Scope, 32))
                    .col(string_len(OptOutEntries::JointAccount, 16))
                    .col(string_len(OptOutEntries::Source, 16))
                    .col(date(OptOutEntries::EffectiveOn))
                    .col(timestamp_with_time_zone(OptOutEntries::RecordedAt))
                    .col(big_integer_null(OptOutEntries::RecordedBy))
                    .col(text(OptOutEntries::FullName))
                    .col(text(OptOutEntries::Email))
                    .col(text_null(OptOutEntries::PostalAddress))
                    .col(text_null(OptOutEntries::AccountNumber))
                    .col(text(OptOutEntries::Holders))
                    .col(text_null(OptOutEntries::Reason))
                    .col(text_null(OptOutEntries::EmailIndex))
                    .col(text_null(OptOutEntries::AccountIndex))
                    .col(text_null(OptOutEntries::NameIndex))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_opt_out_entries_email_index", OptOutEntries::EmailIndex),
            ("idx_opt_out_entries_account_index", OptOutEntries::AccountIndex),
            ("idx_opt_out_entries_opt_out", OptOutEntries::OptOutUid),
            ("idx_opt_out_entries_request", OptOutEntries::RequestId),
            ("idx_opt_out_entries_effective_on", OptOutEntries::EffectiveOn),
        ] {
            manager.create_index(Index::create().name(name).table(OptOutEntries::Table).col(column).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(OptOutRevocationLinks::Table)
                    .col(big_pk_auto(OptOutRevocationLinks::Id))
                    .col(big_integer(OptOutRevocationLinks::RequestId))
                    // SHA-256 of the link's token, as for tracking links.
                    .col(string_len(OptOutRevocationLinks::Hash, 64).unique_key())
                    .col(timestamp_with_time_zone(OptOutRevocationLinks::CreatedAt))
                    .col(timestamp_with_time_zone(OptOutRevocationLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(OptOutRevocationLinks::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_opt_out_revocation_links_request")
                            .from(OptOutRevocationLinks::Table, OptOutRevocationLinks::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_opt_out_revocation_links_request")
                    .table(OptOutRevocationLinks::Table)
                    .col(OptOutRevocationLinks::RequestId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(OptOutRevocationLinks::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(OptOutEntries::Table).to_owned()).await
    }
}
