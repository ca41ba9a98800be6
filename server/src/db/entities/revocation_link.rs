use sea_orm::entity::prelude::*;

/// A single-use link, emailed to a customer, that confirms they want their
/// opt-out revoked, or an action taken from an old tracking link.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opt_out_revocation_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub request_id: i64,
    /// SHA-256 of the link's token.
    pub hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    /// "revoke", or the customer action it confirms (`CustomerAction`).
    pub purpose: String,
    /// The action waiting on the link, sealed; `None` for a revocation.
    pub pending: Option<crate::vault::Sealed>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
