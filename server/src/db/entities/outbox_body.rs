use sea_orm::entity::prelude::*;

use crate::vault::Sealed;

/// A letter's bodies (a webhook delivery's JSON in `text_body`), apart from
/// its outbox row, whose lease and status change while these never do.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_bodies")]
pub struct Model {
    /// The outbox row's id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    /// The bodies hold a placeholder where the private link goes
    /// (`outbox::LINK_PLACEHOLDER`), so they never carry the link itself.
    pub text_body: Sealed,
    pub html_body: Sealed,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
