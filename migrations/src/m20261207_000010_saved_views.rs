//! Views of the queue that each staff member saves for themselves: a name
//! and the query string it opens. Only preferences, so a view goes with its
//! owner (`ON DELETE CASCADE`); API tokens, which are evidence of access,
//! instead hold their owner back (`RESTRICT`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SavedViews {
    Table,
    Id,
    StaffUserId,
    Name,
    Query,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StaffUsers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SavedViews::Table)
                    .col(big_pk_auto(SavedViews::Id))
                    .col(big_integer(SavedViews::StaffUserId))
                    // Its length is the app's rule (`saved_views::NAME_LIMIT`), not the schema's.
                    .col(text(SavedViews::Name))
                    .col(text(SavedViews::Query))
                    .col(timestamp_with_time_zone(SavedViews::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_saved_views_staff_user")
                            .from(SavedViews::Table, SavedViews::StaffUserId)
                            .to(StaffUsers::Table, StaffUsers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Two tabs saving the same name at once: the second is refused, as
        // the page refuses a name already in use.
        manager
            .create_index(
                Index::create()
                    .name("saved_views_owner_name")
                    .table(SavedViews::Table)
                    .col(SavedViews::StaffUserId)
                    .col(SavedViews::Name)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SavedViews::Table).to_owned()).await
    }
}
