use sea_orm::entity::prelude::*;

use crate::vault::Sealed;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub reference: String,
    pub kind: String,
    pub status: String,
    pub channel: String,
    pub tracking_hash: String,
    pub full_name: Sealed,
    pub email: Sealed,
    pub phone: Option<Sealed>,
    pub postal_address: Option<Sealed>,
    pub account_number: Option<Sealed>,
    /// The kind's own answers, as JSON of `app::domain::RequestDetails`.
    pub details: Sealed,
    pub gpc: bool,
    pub received_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub verified_at: Option<DateTimeUtc>,
    /// SHA-256 of the current single-use verification token, if one is open.
    pub verification_hash: Option<String>,
    pub verification_expires_at: Option<DateTimeUtc>,
    pub verification_sent_at: Option<DateTimeUtc>,
    pub assignee_id: Option<i64>,
    /// Raised by every change, so that a change made from an older view of
    /// the case is refused instead of overwriting a colleague's.
    pub version: i64,
    /// JSON of `app::domain::workflow::Outcome`, once decided: sealed, for
    /// it holds what staff wrote about the person's records.
    pub outcome: Option<Sealed>,
    /// The outcome's `OutcomeClass` and a resolved complaint's category, in
    /// plain text, written with the outcome: what the metrics count.
    pub outcome_tag: Option<String>,
    pub outcome_category: Option<String>,
    pub resolved_at: Option<DateTimeUtc>,
    /// The response deadline in force.
    pub due_on: Option<Date>,
    /// JSON of the computed `app::domain::clock::RequestClock`, sealed: it
    /// names an extension's reason. `due_on` is what queries read.
    pub clock: Option<Sealed>,
    /// JSON of what the clock is computed from besides receipt: pauses and
    /// any extension, with its reason; sealed.
    pub clock_state: Option<Sealed>,
    /// Blind indexes (`vault::Blind`) for equality lookups on sealed fields;
    /// the name's is one index a word, each between spaces.
    pub email_index: Option<String>,
    pub account_index: Option<String>,
    pub name_index: Option<String>,
    /// Set while a legal hold keeps the request from being purged.
    pub held_at: Option<DateTimeUtc>,
    pub hold_reason: Option<Sealed>,
    /// When the personal data was removed; what is left is a tombstone.
    pub purged_at: Option<DateTimeUtc>,
    /// The citation of the retention rule it was removed under.
    pub purged_under: Option<String>,
    /// The earlier open request of the same kind and person that this one
    /// likely repeats, until staff merge it or keep it separate.
    pub duplicate_of: Option<i64>,
    /// The earlier request this one was merged into; its clock won.
    pub merged_into: Option<i64>,
    /// For an appeal: the refused request it appeals (one appeal each).
    pub appeal_of: Option<i64>,
    /// JSON of `app::domain::Agent`, sealed: who asked for the customer.
    pub agent: Option<Sealed>,
    /// When staff verified the agent's authority to act for the customer.
    pub agent_verified_at: Option<DateTimeUtc>,
    /// `app::domain::Language`: the one the requester's browser asked for.
    pub language: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::request_event::Entity")]
    Events,
}

impl Related<super::request_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Events.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The language the request was made in, which its customer's letters
    /// are written in; English for a code the portal no longer speaks.
    pub fn lang(&self) -> app::domain::Language {
        app::domain::Language::parse(&self.language).unwrap_or(app::domain::Language::En)
    }
}
