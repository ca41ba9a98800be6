//! Supporting documents customers send with their request. The original
//! file name and the bytes are personal data, so both are sealed like the
//! request's own columns (the bytes base64 inside the sealed text); the
//! kind and size, sniffed and counted by the portal, are plain. A request's
//! documents go with it (`ON DELETE CASCADE`), and the purge deletes them
//! when it removes the request's personal data.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RequestDocuments {
    Table,
    Id,
    Uid,
    RequestId,
    Kind,
    Size,
    Name,
    Content,
    ReceivedAt,
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
                    .table(RequestDocuments::Table)
                    .col(big_pk_auto(RequestDocuments::Id))
                    // Drawn before the row is written: what the sealed columns are bound to.
                    .col(text_uniq(RequestDocuments::Uid))
                    .col(big_integer(RequestDocuments::RequestId))
                    .col(text(RequestDocuments::Kind))
                    .col(big_integer(RequestDocuments::Size))
                    .col(text(RequestDocuments::Name))
                    .col(text(RequestDocuments::Content))
                    .col(timestamp_with_time_zone(RequestDocuments::ReceivedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_documents_request")
                            .from(RequestDocuments::Table, RequestDocuments::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("request_documents_request")
                    .table(RequestDocuments::Table)
                    .col(RequestDocuments::RequestId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(RequestDocuments::Table).to_owned()).await
    }
}
