use sea_orm::entity::prelude::*;

use crate::vault::Sealed;

/// One dated entry of the opt-out register; written once, never changed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opt_out_entries")]
pub struct Model {
    /// Also the change feed's position: ids become visible in order.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What the sealed columns are bound to.
    pub uid: String,
    /// The `uid` of the opt-out's first entry.
    pub opt_out_uid: String,
    pub request_id: Option<i64>,
    /// `app::domain::register::OptOutChange`.
    pub change: String,
    pub scope: String,
    pub joint_account: String,
    /// `app::domain::register::OptOutSource`.
    pub source: String,
    pub effective_on: Date,
    pub recorded_at: DateTimeUtc,
    pub recorded_by: Option<i64>,
    pub full_name: Sealed,
    pub email: Sealed,
    pub postal_address: Option<Sealed>,
    pub account_number: Option<Sealed>,
    /// JSON list of the names of the holders the entry covers.
    pub holders: Sealed,
    /// Why a revocation or change was made, as the customer gave it.
    pub reason: Option<Sealed>,
    pub email_index: Option<String>,
    pub account_index: Option<String>,
    /// One index a word of every covered holder's name, between spaces.
    pub name_index: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
