//! The wording of customer letters as administrators change it in the
//! portal. The template files shipped with the binary stay the defaults; a
//! letter with rows here is written from its highest-numbered one. Every
//! saved version is kept, with who saved it and when, so any can be
//! restored (a restore saves a new version). Templates, not personal data:
//! kept in plain text.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LetterVersions {
    Table,
    Id,
    Letter,
    Number,
    Subject,
    TextBody,
    HtmlBody,
    SavedAt,
    SavedBy,
    SavedByName,
    Note,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LetterVersions::Table)
                    .col(big_pk_auto(LetterVersions::Id))
                    .col(string_len(LetterVersions::Letter, 64))
                    .col(integer(LetterVersions::Number))
                    .col(text(LetterVersions::Subject))
                    .col(text(LetterVersions::TextBody))
                    .col(text(LetterVersions::HtmlBody))
                    .col(timestamp_with_time_zone(LetterVersions::SavedAt))
                    .col(big_integer_null(LetterVersions::SavedBy))
                    .col(string_len(LetterVersions::SavedByName, 200))
                    .col(string_len_null(LetterVersions::Note, 200))
                    .to_owned(),
            )
            .await?;
        // Two administrators saving the same letter at once: the second
        // insert of a number is refused, not a silent fork of the history.
        manager
            .create_index(
                Index::create()
                    .name("letter_versions_letter_number")
                    .table(LetterVersions::Table)
                    .col(LetterVersions::Letter)
                    .col(LetterVersions::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(LetterVersions::Table).to_owned()).await
    }
}
