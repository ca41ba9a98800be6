//! The queue finds a request by whole words of the name, through each
//! word's blind index. Those sat together in one column, so a search read
//! every request's entry of an index to match `% word %`: 53 ms at the
//! median and 80 ms at p99 for a common surname at a million requests on
//! SQLite; PostgreSQL, which cannot estimate such a match, scanned the
//! whole table in parallel (1.3 s). A table of each request's name words, kept
//! by the database itself from that column, makes the search a lookup; the
//! index of the column beside the status and due date, which served the
//! old search's count, goes, so intake keeps as many indexes to write.
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

/// The words of a name index column (`NEW.name_index`, say) as the rows of
/// a table: a JSON array of the hex words between the spaces, each row's
/// `value`. An empty column gives one empty word, which matches nothing.
fn sqlite_words_of(column: &str) -> String {
    format!(r#"json_each('["' || replace(trim(coalesce({column}, '')), ' ', '","') || '"]')"#)
}

fn sqlite_keeping() -> [String; 3] {
    let (new, old) = (sqlite_words_of("NEW.name_index"), sqlite_words_of("OLD.name_index"));
    [
        format!(
            "CREATE TRIGGER request_name_words_written AFTER INSERT ON requests
               WHEN NEW.name_index IS NOT NULL
               BEGIN
                 INSERT OR IGNORE INTO request_name_words (word, request_id) SELECT value, NEW.id FROM {new};
               END"
        ),
        format!(
            "CREATE TRIGGER request_name_words_rewritten AFTER UPDATE OF name_index ON requests
               BEGIN
                 DELETE FROM request_name_words WHERE request_id = OLD.id AND word IN (SELECT value FROM {old});
                 INSERT OR IGNORE INTO request_name_words (word, request_id) SELECT value, NEW.id FROM {new}
                 WHERE NEW.name_index IS NOT NULL;
               END"
        ),
        format!(
            "CREATE TRIGGER request_name_words_removed AFTER DELETE ON requests
               BEGIN
                 DELETE FROM request_name_words WHERE request_id = OLD.id AND word IN (SELECT value FROM {old});
               END"
        ),
    ]
}

fn sqlite_filling() -> String {
    format!(
        "INSERT OR IGNORE INTO request_name_words (word, request_id)
           SELECT words.value, requests.id FROM requests, {} AS words
           WHERE requests.name_index IS NOT NULL",
        sqlite_words_of("requests.name_index")
    )
}

const POSTGRES_KEEPING: [&str; 2] = [
    r#"CREATE FUNCTION request_name_words_keep() RETURNS trigger AS $$
       BEGIN
         IF TG_OP IN ('UPDATE', 'DELETE') THEN
           DELETE FROM request_name_words WHERE request_id = OLD.id
             AND word = ANY (string_to_array(btrim(OLD.name_index), ' '));
         END IF;
         IF TG_OP IN ('INSERT', 'UPDATE') THEN
           INSERT INTO request_name_words (word, request_id)
           SELECT DISTINCT word, NEW.id FROM unnest(string_to_array(btrim(NEW.name_index), ' ')) AS word
           ON CONFLICT DO NOTHING;
         END IF;
         RETURN NULL;
       END
       $$ LANGUAGE plpgsql"#,
    r#"CREATE TRIGGER request_name_words_kept AFTER INSERT OR UPDATE OF name_index OR DELETE ON requests
       FOR EACH ROW EXECUTE FUNCTION request_name_words_keep()"#,
];

const POSTGRES_FILLING: &str = r#"INSERT INTO request_name_words (word, request_id)
    SELECT DISTINCT word, requests.id FROM requests,
      unnest(string_to_array(btrim(requests.name_index), ' ')) AS word
    WHERE requests.name_index IS NOT NULL
    ON CONFLICT DO NOTHING"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut table = Table::create();
        table
            .table(RequestNameWords::Table)
            .col(ColumnDef::new(RequestNameWords::Word).text().not_null())
            .col(ColumnDef::new(RequestNameWords::RequestId).big_integer().not_null())
            .primary_key(Index::create().col(RequestNameWords::Word).col(RequestNameWords::RequestId));
        let create = match backend {
            // A row of the table is its key: no rowid beside it to store.
            DbBackend::Sqlite => format!("{} WITHOUT ROWID", table.to_string(SqliteQueryBuilder)),
            _ => table.to_string(PostgresQueryBuilder),
        };
        let connection = manager.get_connection();
        connection.execute_unprepared(&create).await?;
        let (keeping, filling): (Vec<String>, String) = match backend {
            DbBackend::Sqlite => (sqlite_keeping().into(), sqlite_filling()),
            _ => (POSTGRES_KEEPING.map(str::to_owned).into(), POSTGRES_FILLING.to_owned()),
        };
        for statement in &keeping {
            connection.execute_unprepared(statement).await?;
        }
        connection.execute_unprepared(&filling).await?;
        manager.drop_index(Index::drop().name(NAME_STATUS_DUE).table(Requests::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        let dropping: &[&str] = match manager.get_database_backend() {
            DbBackend::Sqlite => &[
                "DROP TRIGGER request_name_words_written",
                "DROP TRIGGER request_name_words_rewritten",
                "DROP TRIGGER request_name_words_removed",
            ],
            _ => &["DROP TRIGGER request_name_words_kept ON requests", "DROP FUNCTION request_name_words_keep()"],
        };
        for statement in dropping {
            connection.execute_unprepared(statement).await?;
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
