use sea_orm::entity::prelude::*;

use crate::vault::Sealed;

/// A supporting document a customer sent with their request.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "request_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What its sealed columns are bound to.
    pub uid: String,
    pub request_id: i64,
    /// The kind sniffed from the bytes (`DocumentKind`).
    pub kind: String,
    pub size: i64,
    /// The original file name, as text.
    pub name: Sealed,
    /// The bytes, base64, sealed.
    pub content: Sealed,
    pub received_at: DateTimeUtc,
    /// Sent through an old tracking link: kept unseen until the customer
    /// confirms by the link mailed to them, which expires then.
    pub held_until: Option<DateTimeUtc>,
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
