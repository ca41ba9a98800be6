//! A saved wording belongs to one language of its letter: an
//! administrator's English rewording must never replace the Spanish letter,
//! nor the other way round. Wordings saved before were English. Each
//! language numbers its own versions, so the index that refuses a second
//! save of the same number takes the language in.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LetterVersions {
    Table,
    Letter,
    Language,
    Number,
}

const OLD_INDEX: &str = "letter_versions_letter_number";
const NEW_INDEX: &str = "letter_versions_letter_language_number";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut column = string_len(LetterVersions::Language, 8).default("en").to_owned();
        manager.alter_table(Table::alter().table(LetterVersions::Table).add_column(&mut column).to_owned()).await?;
        manager.drop_index(Index::drop().name(OLD_INDEX).table(LetterVersions::Table).to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name(NEW_INDEX)
                    .table(LetterVersions::Table)
                    .col(LetterVersions::Letter)
                    .col(LetterVersions::Language)
                    .col(LetterVersions::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NEW_INDEX).table(LetterVersions::Table).to_owned()).await?;
        // Only the English versions can keep the old numbering's promise.
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(LetterVersions::Table)
                    .and_where(Expr::col(LetterVersions::Language).ne("en"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table(LetterVersions::Table).drop_column(LetterVersions::Language).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(OLD_INDEX)
                    .table(LetterVersions::Table)
                    .col(LetterVersions::Letter)
                    .col(LetterVersions::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }
}
