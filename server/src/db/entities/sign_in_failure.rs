use sea_orm::entity::prelude::*;

/// A sign-in attempt that has not succeeded: written before its password is
/// checked, removed when it turns out right (or was never checked).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sign_in_failures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub email: String,
    pub address: String,
    /// Passed the limit for its account from its address, so it counts
    /// towards the limits per account and per address.
    pub checked: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
