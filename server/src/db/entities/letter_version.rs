use sea_orm::entity::prelude::*;

/// One saved wording of a customer letter; see the migration that makes
/// the table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "letter_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The letter's template name, as in `server/templates/email`.
    pub letter: String,
    /// The language of the letter this wording writes ("en", "es").
    pub language: String,
    pub number: i32,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub saved_at: DateTimeUtc,
    pub saved_by: Option<i64>,
    pub saved_by_name: String,
    /// What the version was made from, when it was a restore.
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
