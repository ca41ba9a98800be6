//! The queue finds a request by whole words of the name, through each
//! word's blind index. Those sat together in one column, so a search read
//! every request's entry of an index to match `% word %`: 53 ms at the
//! median and 80 ms at p99 for a common surname at a million requests on
//! SQLite. A table of each request's name words, kept by the database itself
//! from that column, makes the search a lookup; the index of the column
//! beside the status and due date, which served the old search's count,
//! goes, so intake keeps as many indexes to write.
//!
//! On SQLite only. PostgreSQL, driven from such a table, fetched every
//! matching request (4,610 for a common surname, rows of 2 KB) or walked
//! the due dates probing the table: 160 ms at the median on one core,
//! against 67 ms for its parallel scan of the name index, which it keeps.
//!
//! Triggers keep the table because every writer of the column (intake, the
//! seed, key rotation, the purge) then keeps it without knowing it exists.
//! The column holds the words' hex indexes between single spaces, so they
//! split on spaces, and make a JSON array with no escaping.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RequestNameWords {
    Table,
    Word,
    RequestId,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    NameIndex,
    Status,
    DueOn,
}

const NAME_STATUS_DUE: &str = "idx_requests_name_status_due";

const SQLITE_KEEPING: [&str; 3] = [
    r#"CREATE TRIGGER request_name_words_written AFTER INSERT ON requests
       WHEN NEW.name_index IS NOT NULL
       BEGIN
         INSERT OR IGNORE INTO request_name_words (word, request_id)
         SELECT value, NEW.id FROM json_each('["' || replace(trim(NEW.name_index), ' ', '","') || '"]');
       END"#,
    r#"CREATE TRIGGER request_name_words_rewritten AFTER UPDATE OF name_index ON requests
       BEGIN
         DELETE FROM request_name_words WHERE request_id = OLD.id AND word IN
           (SELECT value FROM json_each('["' || replace(trim(coalesce(OLD.name_index, '')), ' ', '","') || '"]'));
         INSERT OR IGNORE INTO request_name_words (word, request_id)
         SELECT value, NEW.id FROM json_each('["' || replace(trim(NEW.name_index), ' ', '","') || '"]')
         WHERE NEW.name_index IS NOT NULL;
       END"#,
    r#"CREATE TRIGGER request_name_words_removed AFTER DELETE ON requests
       BEGIN
         DELETE FROM request_name_words WHERE request_id = OLD.id AND word IN
           (SELECT value FROM json_each('["' || replace(trim(coalesce(OLD.name_index, '')), ' ', '","') || '"]'));
       END"#,
];

const SQLITE_FILLING: &str = r#"INSERT OR IGNORE INTO request_name_words (word, request_id)
    SELECT words.value, requests.id FROM requests,
      json_each('["' || replace(trim(requests.name_index), ' ', '","') || '"]') AS words
    WHERE requests.name_index IS NOT NULL"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        let table = Table::create()
            .table(RequestNameWords::Table)
            .col(ColumnDef::new(RequestNameWords::Word).text().not_null())
            .col(ColumnDef::new(RequestNameWords::RequestId).big_integer().not_null())
            .primary_key(Index::create().col(RequestNameWords::Word).col(RequestNameWords::RequestId))
            .to_string(SqliteQueryBuilder);
        let connection = manager.get_connection();
        // A row of the table is its key: no rowid beside it to store.
        connection.execute_unprepared(&format!("{table} WITHOUT ROWID")).await?;
        for statement in SQLITE_KEEPING {
            connection.execute_unprepared(statement).await?;
        }
        connection.execute_unprepared(SQLITE_FILLING).await?;
        manager.drop_index(Index::drop().name(NAME_STATUS_DUE).table(Requests::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        let connection = manager.get_connection();
        for trigger in ["request_name_words_written", "request_name_words_rewritten", "request_name_words_removed"] {
            connection.execute_unprepared(&format!("DROP TRIGGER {trigger}")).await?;
        }
        manager.drop_table(Table::drop().table(RequestNameWords::Table).to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name(NAME_STATUS_DUE)
                    .table(Requests::Table)
                    .col(Requests::NameIndex)
                    .col(Requests::Status)
                    .col(Requests::DueOn)
                    .to_owned(),
            )
            .await
    }
}
