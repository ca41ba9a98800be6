//! Opening a case: everything staff see of one request. Opening it is
//! written to the access log, since it shows a customer's personal data.

use std::collections::HashMap;

use app::domain::access;
use app::domain::case::{AgentStanding, CaseEvent, CaseView, DuplicateLinks, LegalHold, Purged, StaffMember};
use app::domain::clock::RequestClock;
use app::domain::disagreement::Disagreement;
use app::domain::documents::{DocumentEntry, DocumentKind};
use app::domain::workflow;
use app::domain::{Channel, EventKind, Language, ReferenceCode, RequestDetails, RequestKind, Viewer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{CaseDesk, CaseError, Loaded, clock_state};
use crate::db::entities::{request, request_document, request_event};
use crate::requests::StoreError;
use crate::staff::actor;

impl CaseDesk {
    /// Everything about one case, or `None` when there is no such request.
    pub async fn open(&self, viewer: &Viewer, reference: &ReferenceCode) -> Result<Option<CaseView>, CaseError> {
        let found = match self.load_from(&self.read, reference).await {
            Ok(found) => found,
            Err(CaseError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        self.access.opened(actor(viewer), found.row.id).await?;

        let staff: HashMap<i64, StaffMember> =
            self.staff.list().await?.into_iter().map(|member| (member.id, member)).collect();
        let duplicates = self.duplicate_links(&found.row).await?;
        let merged: HashMap<i64, ReferenceCode> = duplicates.merged_here.iter().cloned().collect();
        let events = request_event::Entity::find()
            .filter(request_event::Column::RequestId.is_in(std::iter::once(found.row.id).chain(merged.keys().copied())))
            .order_by_asc(request_event::Column::Id)
            .all(&self.read)
            .await?;
        let letters = self.mail_desk.letters_of(found.row.id, &found.reference).await?;
        let row = &found.row;
        let vault = self.vault();
        let corrupt = |reason: String| StoreError::Corrupt { id: row.id, reason };
        let contact = vault.open_contact(row).map_err(|e| corrupt(e.to_string()))?;
        let details = vault.open_details(row).map_err(|e| corrupt(e.to_string()))?;
        let details: RequestDetails = serde_json::from_str(&details).map_err(|e| corrupt(e.to_string()))?;
        let outcome = vault.open_outcome(row).map_err(|e| corrupt(e.to_string()))?;
        let outcome = outcome.as_deref().map(serde_json::from_str).transpose().map_err(|e| corrupt(e.to_string()))?;
        let hold_reason = vault.open_hold_reason(row).map_err(|e| corrupt(e.to_string()))?;
        let associates = if found.kind == RequestKind::Amendment && found.status.is_open() {
            crate::associates::listed(&self.read).await?
        } else {
            Vec::new()
        };
        let clocks = &self.clocks;
        let mut timeline = Vec::with_capacity(events.len());
        for event in events {
            let body = vault.open_event_body(&event).map_err(|e| corrupt(e.to_string()))?;
            let Some(kind) = EventKind::parse(&event.kind) else { continue };
            // The history of a request merged here joins this timeline,
            // each entry saying which request it came from.
            let title = match merged.get(&event.request_id) {
                Some(from) => format!("{} (request {from})", kind.staff_title()),
                None => kind.staff_title().to_owned(),
            };
            timeline.push(CaseEvent {
                kind,
                at: event.at,
                on: clocks.local_date(event.at),
                title,
                body,
                actor: event.actor_id.and_then(|id| staff.get(&id)).map(|member| member.name.clone()),
                customer_visible: event.customer_visible,
            });
        }
        let documents = crate::documents::listed(&self.read, vault, row.id, |at| clocks.local_date(at))
            .await
            .map_err(|e| corrupt(e.to_string()))?;
        let disagreement = Disagreement::of(
            found.kind,
            found.status,
            timeline.iter().map(|event| (event.kind, event.body.as_deref())),
            clocks.rules().statement_limit(),
        );
        Ok(Some(CaseView {
            reference: found.reference.clone(),
            kind: found.kind,
            status: found.status,
            channel: Channel::parse(&row.channel).unwrap_or(Channel::Web),
            received_at: row.received_at,
            received_on: clocks.local_date(row.received_at),
            verified_at: row.verified_at,
            verified_on: row.verified_at.map(|at| clocks.local_date(at)),
            contact,
            details,
            assignee: row.assignee_id.and_then(|id| staff.get(&id).cloned()),
            outcome,
            clock: self.clock_of(&found)?,
            version: row.version,
            steps: workflow::available(found.kind, found.status, self.gate(viewer, &found).await?),
            timeline,
            letters,
            hold: row
                .held_at
                .map(|at| LegalHold { since: clocks.local_date(at), reason: hold_reason.unwrap_or_default() }),
            purged: row
                .purged_at
                .map(|at| Purged { on: clocks.local_date(at), under: row.purged_under.clone().unwrap_or_default() }),
            register_entry: crate::register::facts_of_request(&self.read, row.id)
                .await?
                .into_iter()
                .next()
                .map(|facts| facts.opt_out),
            associates,
            disagreement,
            documents,
            appeal: self.appeal_links(row, &staff).await?,
            language: Language::parse(&row.language).unwrap_or(Language::En),
            agent: found.agent.clone().map(|agent| AgentStanding {
                agent,
                verified_on: row.agent_verified_at.map(|at| clocks.local_date(at)),
            }),
            duplicates: DuplicateLinks {
                repeats: duplicates.repeats,
                repeated_by: duplicates.repeated_by,
                merged_into: duplicates.merged_into,
                merged_here: duplicates.merged_here.into_iter().map(|(_, reference)| reference).collect(),
            },
        }))
    }

    /// One of a case's documents with its bytes, for a viewer the rule book
    /// lets open the case; `None` when the case has no such document. Each
    /// opening goes into the access log, as a case opening does.
    pub async fn open_document(
        &self,
        viewer: &Viewer,
        reference: &ReferenceCode,
        id: i64,
    ) -> Result<Option<(DocumentEntry, Vec<u8>)>, CaseError> {
        if !access::permits(access::Actor::Staff(viewer), access::Action::OpenCase) {
            return Err(CaseError::Forbidden);
        }
        let found = match self.load_from(&self.read, reference).await {
            Ok(found) => found,
            Err(CaseError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let Some(row) = request_document::Entity::find_by_id(id)
            .filter(request_document::Column::RequestId.eq(found.row.id))
            .filter(request_document::Column::HeldUntil.is_null())
            .one(&self.read)
            .await?
        else {
            return Ok(None);
        };
        self.access.opened_document(actor(viewer), found.row.id, row.id).await?;
        let vault = self.vault();
        let corrupt = |reason: String| StoreError::Corrupt { id: found.row.id, reason };
        let bytes = vault.open_document_bytes(&row).map_err(|e| corrupt(e.to_string()))?;
        let entry = DocumentEntry {
            id: row.id,
            name: vault.open_document_name(&row).map_err(|e| corrupt(e.to_string()))?,
            kind: DocumentKind::parse(&row.kind).ok_or_else(|| corrupt(format!("document kind {:?}", row.kind)))?,
            size: bytes.len() as u64,
            received_on: self.clocks.local_date(row.received_at),
        };
        Ok(Some((entry, bytes)))
    }

    /// The requests this one is linked to as a duplicate, each way. Every
    /// lookup is by row id or by an indexed link column.
    async fn duplicate_links(&self, row: &request::Model) -> Result<Links, CaseError> {
        let reference_of = |id: Option<i64>| async move {
            let Some(id) = id else { return Ok::<_, CaseError>(None) };
            let found = request::Entity::find_by_id(id).one(&self.read).await?;
            Ok(found.and_then(|found| ReferenceCode::parse(&found.reference).ok()))
        };
        let pointing_here = |column: request::Column| async move {
            let rows = request::Entity::find()
                .filter(column.eq(row.id))
                .order_by_asc(request::Column::Id)
                .all(&self.read)
                .await?;
            Ok::<_, CaseError>(
                rows.into_iter()
                    .filter_map(|found| Some((found.id, ReferenceCode::parse(&found.reference).ok()?)))
                    .collect::<Vec<_>>(),
            )
        };
        Ok(Links {
            repeats: reference_of(row.duplicate_of).await?,
            merged_into: reference_of(row.merged_into).await?,
            repeated_by: pointing_here(request::Column::DuplicateOf)
                .await?
                .into_iter()
                .map(|(_, reference)| reference)
                .collect(),
            merged_here: pointing_here(request::Column::MergedInto).await?,
        })
    }

    /// The clock as it stands today (an open pause keeps moving it).
    pub(super) fn clock_of(&self, found: &Loaded) -> Result<Option<RequestClock>, CaseError> {
        let state = clock_state(self.vault(), &found.row)?;
        Ok(self.clocks.compute(found.kind, found.row.received_at, &state))
    }
}

/// [`DuplicateLinks`] with the row ids of the requests merged here, whose
/// history the timeline reads.
struct Links {
    repeats: Option<ReferenceCode>,
    repeated_by: Vec<ReferenceCode>,
    merged_into: Option<ReferenceCode>,
    merged_here: Vec<(i64, ReferenceCode)>,
}
