//! A letter's bodies in a table of their own, written once and read once.
//! In the outbox row they lay on SQLite's overflow pages (5.4 KB sealed),
//! which SQLite reads straight from the file, past its cache; and every
//! update of the row (the claim, then the record of its sending) read and
//! wrote them again, though only the lease and the status changed. That
//! was a third of the single writer's time under intake (perf, 2026-12-07).
//! The sealed values move as they are: they stay bound to the letter's
//! Message-ID, so nothing is opened or sealed again.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    TextBody,
    HtmlBody,
}

#[derive(DeriveIden)]
enum OutboxBodies {
    Table,
    Id,
    TextBody,
    HtmlBody,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::locks::take_whole(manager, &["outbox"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(OutboxBodies::Table)
                    .col(ColumnDef::new(OutboxBodies::Id).big_integer().not_null().primary_key())
                    .col(ColumnDef::new(OutboxBodies::TextBody).text().not_null())
                    .col(ColumnDef::new(OutboxBodies::HtmlBody).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_outbox_bodies_outbox")
                            .from(OutboxBodies::Table, OutboxBodies::Id)
                            .to(Outbox::Table, Outbox::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO outbox_bodies (id, text_body, html_body) SELECT id, text_body, html_body FROM outbox",
        )
        .await?;
        // A key rotation under way goes on over the bodies from where it
        // had got to in the outbox, whose row ids they share.
        db.execute_unprepared(
            "INSERT INTO key_rotations (key_id, table_name, after_id, done) \
             SELECT key_id, 'outbox_bodies', after_id, done FROM key_rotations WHERE table_name = 'outbox'",
        )
        .await?;
        for column in [Outbox::TextBody, Outbox::HtmlBody] {
            manager.alter_table(Table::alter().table(Outbox::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::locks::take_whole(manager, &["outbox", "outbox_bodies"]).await?;
        for column in [Outbox::TextBody, Outbox::HtmlBody] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Outbox::Table)
                        .add_column(ColumnDef::new(column).text().not_null().default(""))
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE outbox SET \
             text_body = (SELECT text_body FROM outbox_bodies WHERE outbox_bodies.id = outbox.id), \
             html_body = (SELECT html_body FROM outbox_bodies WHERE outbox_bodies.id = outbox.id) \
             WHERE id IN (SELECT id FROM outbox_bodies)",
        )
        .await?;
        db.execute_unprepared("DELETE FROM key_rotations WHERE table_name = 'outbox_bodies'").await?;
        manager.drop_table(Table::drop().table(OutboxBodies::Table).to_owned()).await
    }
}
