use sea_orm::entity::prelude::*;

use crate::vault::Sealed;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "request_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub request_id: i64,
    pub at: DateTimeUtc,
    pub kind: String,
    pub customer_visible: bool,
    pub body: Option<Sealed>,
    /// The staff member who did it; `None` for the customer or the system.
    pub actor_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::request::Entity", from = "Column::RequestId", to = "super::request::Column::Id")]
    Request,
}

impl Related<super::request::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Request.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
