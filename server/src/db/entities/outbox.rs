use sea_orm::entity::prelude::*;

use crate::vault::Sealed;

/// A letter's bodies are in [`super::outbox_body`].
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub request_id: Option<i64>,
    pub template: String,
    pub recipient: Sealed,
    pub subject: Sealed,
    /// The private link's secret until the letter is sent.
    pub secret: Option<Sealed>,
    pub message_id: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// `mail`, or `webhook` for a delivery to [`Self::endpoint_id`].
    pub channel: String,
    pub endpoint_id: Option<i64>,
    /// The HTTP status a webhook endpoint last answered with.
    pub response_status: Option<i32>,
    pub last_attempt_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
