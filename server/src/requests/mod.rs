//! Requests: storing what customers submit, and reading it back for them.

pub mod token;

use app::domain::{
    Channel, EventKind, NewRequest, ReferenceCode, RequestDetails, RequestKind, RequestStatus, TimelineEntry,
    TrackingView,
};
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Set, SqlErr,
    TransactionTrait,
};

use crate::db::entities::{request, request_event};
pub use token::TrackingToken;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("stored request {id} cannot be read: {reason}")]
    Corrupt { id: i64, reason: String },
}

/// What the customer is given once their request is safely stored.
#[derive(Debug)]
pub struct Receipt {
    pub reference: ReferenceCode,
    pub token: TrackingToken,
}

/// How a request arrived, and when the clock started.
#[derive(Clone, Copy, Debug)]
pub struct Intake {
    pub channel: Channel,
    pub received_at: DateTime<Utc>,
}

impl Intake {
    pub fn web_now() -> Self {
        Self { channel: Channel::Web, received_at: Utc::now() }
    }
}

#[derive(Clone)]
pub struct RequestStore {
    db: DatabaseConnection,
}

/// Collisions of random reference codes are rare (about 2^39 of them); a
/// few fresh draws settle any.
const REFERENCE_ATTEMPTS: usize = 5;

impl RequestStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Stores a request and its first history event in one transaction. When
    /// this returns, both are committed; when it fails, neither is.
    pub async fn submit(&self, request: &NewRequest, intake: Intake) -> Result<Receipt, StoreError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let reference = ReferenceCode::from_random(rand::rng().next_u64());
            match self.insert(request, intake, &reference).await {
                Ok(token) => return Ok(Receipt { reference, token }),
                Err(StoreError::Db(e))
                    if attempt < REFERENCE_ATTEMPTS
                        && matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
                {
                    tracing::warn!(%reference, "reference code collided; drawing another");
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn insert(
        &self,
        request: &NewRequest,
        intake: Intake,
        reference: &ReferenceCode,
    ) -> Result<TrackingToken, StoreError> {
        let token = TrackingToken::generate();
        let now = Utc::now();
        let kind = request.kind();
        let details = serde_json::to_string(&request.details)
            .map_err(|e| DbErr::Custom(format!("request details do not serialise: {e}")))?;
        let gpc = matches!(request.details, RequestDetails::OptOut { gpc: true, .. });
        let contact = &request.contact;

        let txn = self.db.begin().await?;
        let stored = request::ActiveModel {
            reference: Set(reference.to_string()),
            kind: Set(kind.as_str().to_owned()),
            status: Set(kind.initial_status().as_str().to_owned()),
            channel: Set(intake.channel.as_str().to_owned()),
            tracking_hash: Set(token.hash()),
            full_name: Set(contact.full_name.clone()),
            email: Set(contact.email.clone()),
            phone: Set(contact.phone.clone()),
            postal_address: Set(contact.postal_address.clone()),
            account_number: Set(contact.account_number.clone()),
            details: Set(details),
            gpc: Set(gpc),
            received_at: Set(intake.received_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let event = EventKind::Submitted;
        request_event::ActiveModel {
            request_id: Set(stored.id),
            at: Set(now),
            kind: Set(event.as_str().to_owned()),
            customer_visible: Set(event.customer_visible()),
            body: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(token)
    }

    /// The customer's view of the request behind a tracking token.
    pub async fn track(&self, presented_token: &str) -> Result<Option<TrackingView>, StoreError> {
        let Some(hash) = token::lookup_hash(presented_token) else {
            return Ok(None);
        };
        let Some(found) = request::Entity::find()
            .filter(request::Column::TrackingHash.eq(hash))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let events = request_event::Entity::find()
            .filter(request_event::Column::RequestId.eq(found.id))
            .filter(request_event::Column::CustomerVisible.eq(true))
            .order_by_asc(request_event::Column::Id)
            .all(&self.db)
            .await?;
        tracking_view(found, events).map(Some)
    }
}

fn tracking_view(found: request::Model, events: Vec<request_event::Model>) -> Result<TrackingView, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { id: found.id, reason };
    let kind = RequestKind::parse(&found.kind).ok_or_else(|| corrupt(format!("kind {:?}", found.kind)))?;
    let status = RequestStatus::parse(&found.status).ok_or_else(|| corrupt(format!("status {:?}", found.status)))?;
    let reference = ReferenceCode::parse(&found.reference).map_err(|e| corrupt(e.to_string()))?;
    let details: RequestDetails = serde_json::from_str(&found.details).map_err(|e| corrupt(e.to_string()))?;
    let timeline = events
        .into_iter()
        .filter_map(|event| {
            let kind = EventKind::parse(&event.kind)?;
            Some(TimelineEntry { at: event.at, title: kind.customer_title().to_owned(), body: event.body })
        })
        .collect();
    Ok(TrackingView {
        reference,
        kind,
        status,
        summary: details.summary(),
        received_at: found.received_at,
        updated_at: found.updated_at,
        timeline,
    })
}
