//! Case handling by staff: the queue, opening one case, and every change to
//! it. Each change goes through one versioned change that checks the case's
//! version and writes its history event, its audit entry and any letter in
//! one transaction.

mod agents;
mod appeals;
mod change;
mod customer;
mod disagreement;
mod duplicates;
mod hold;
mod notices;
mod queue;
mod view;

use std::sync::Arc;

use app::domain::case::{LetterState, PrintLetter, StaffMember};
use app::domain::clock::ExtensionError;
use app::domain::workflow::StepError;
use app::domain::{Agent, ReferenceCode, RequestKind, RequestStatus, Viewer};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

use crate::audit::AccessLog;
use crate::clocks::{ClockState, Clocks};
use crate::db::entities::request;
use crate::mail::outbox::Recipient;
use crate::mail::{MailDesk, Mailer};
use crate::requests::StoreError;
use crate::staff::{StaffAccounts, StaffError, actor};
use crate::vault::Vault;
use crate::vault::rows::ClockColumn;
pub use change::{Assignee, TEXT_LIMIT, TOO_LONG};
pub use queue::{PAGE_SIZE, cursor_fits};

#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("no such request")]
    NotFound,
    /// The rule book does not let this viewer make this change.
    #[error("not allowed")]
    Forbidden,
    /// Somebody changed the case since the form was shown.
    #[error("the request changed since it was shown")]
    Conflict,
    #[error("{0}")]
    Step(#[from] StepError),
    #[error("{0}")]
    Extension(#[from] ExtensionError),
    #[error("{0}")]
    Invalid(&'static str),
    /// What was asked is well formed, but the request's state refuses it
    /// (nothing to rebut, no mark to decide): reading it again shows why.
    #[error("{0}")]
    NotNow(&'static str),
    /// An address chosen for an amendment notice that belongs to neither a
    /// person the customer named nor a business associate.
    #[error("{0} is neither a person the customer named nor a business associate, so it is sent no notice.")]
    NotARecipient(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Staff(#[from] StaffError),
    #[error(transparent)]
    Register(#[from] crate::register::RegisterError),
}

impl From<DbErr> for CaseError {
    fn from(error: DbErr) -> Self {
        Self::Store(StoreError::Db(error))
    }
}

impl From<minijinja::Error> for CaseError {
    fn from(error: minijinja::Error) -> Self {
        Self::Store(StoreError::Letter(error))
    }
}

#[derive(Clone)]
pub struct CaseDesk {
    db: DatabaseConnection,
    /// Where pages read; see [`crate::db::reader`]. The writer until
    /// [`Self::reading_from`] says otherwise.
    read: DatabaseConnection,
    mailer: Mailer,
    clocks: Arc<Clocks>,
    staff: StaffAccounts,
    mail_desk: MailDesk,
    access: AccessLog,
    /// Told of a customer's reply on a case nobody holds.
    team_address: String,
}

/// A request read for a change, with its typed fields and the requester's
/// name and address opened for letters.
struct Loaded {
    row: request::Model,
    name: String,
    email: String,
    /// Opened only for a customer answered by post (no email address).
    postal_address: Option<String>,
    kind: RequestKind,
    status: RequestStatus,
    reference: ReferenceCode,
    /// Who asked for the customer, if anyone did: sent a copy of each of
    /// the customer's letters.
    agent: Option<Agent>,
}

impl Loaded {
    /// Where the customer's letters go: by email, or to the print queue.
    fn recipient(&self) -> Recipient<'_> {
        Recipient::of(&self.name, &self.email, self.postal_address.as_deref())
    }

    /// Whether the customer's letters are printed rather than emailed.
    fn by_post(&self) -> bool {
        matches!(self.recipient(), Recipient::Post { .. })
    }
}

impl CaseDesk {
    pub fn new(
        db: DatabaseConnection,
        mailer: Mailer,
        clocks: Arc<Clocks>,
        staff: StaffAccounts,
        mail_desk: MailDesk,
    ) -> Self {
        let access = AccessLog::start(db.clone());
        Self { read: db.clone(), db, mailer, clocks, staff, mail_desk, access, team_address: String::new() }
    }

    /// Where a customer's reply on an unassigned case is announced.
    pub fn telling_team(mut self, address: String) -> Self {
        self.team_address = address;
        self
    }

    /// Shows cases and the queue through `reader` (see [`crate::db::reader`]).
    pub fn reading_from(mut self, reader: DatabaseConnection) -> Self {
        self.read = reader;
        self
    }

    fn vault(&self) -> &Vault {
        self.mailer.outbox().vault()
    }

    /// The organisation's calendar, which the desk's pages show days in.
    pub fn clocks(&self) -> &Clocks {
        &self.clocks
    }

    /// The request for a change, read where the change will be written.
    async fn load(&self, reference: &ReferenceCode) -> Result<Loaded, CaseError> {
        self.load_from(&self.db, reference).await
    }

    async fn load_from(&self, on: &DatabaseConnection, reference: &ReferenceCode) -> Result<Loaded, CaseError> {
        let row = request::Entity::find()
            .filter(request::Column::Reference.eq(reference.as_str()))
            .one(on)
            .await?
            .ok_or(CaseError::NotFound)?;
        let corrupt = |reason: &str| StoreError::Corrupt { id: row.id, reason: reason.to_owned() };
        let kind = RequestKind::parse(&row.kind).ok_or_else(|| corrupt("kind"))?;
        let status = RequestStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?;
        let vault = self.vault();
        let opened = |e: crate::vault::VaultError| StoreError::Corrupt { id: row.id, reason: e.to_string() };
        let (name, email) = (vault.open_name(&row).map_err(opened)?, vault.open_email(&row).map_err(opened)?);
        let postal_address =
            if email.trim().is_empty() { vault.open_contact(&row).map_err(opened)?.postal_address } else { None };
        let agent = vault.open_agent(&row).map_err(opened)?;
        let agent = agent.as_deref().map(serde_json::from_str).transpose().map_err(|e| corrupt(&e.to_string()))?;
        Ok(Loaded { kind, status, reference: reference.clone(), row, name, email, postal_address, agent })
    }

    pub async fn kind_of(&self, reference: &ReferenceCode) -> Result<RequestKind, CaseError> {
        Ok(self.load_from(&self.read, reference).await?.kind)
    }

    pub async fn staff_list(&self) -> Result<Vec<StaffMember>, CaseError> {
        Ok(self.staff.list().await?)
    }

    /// The mail desk's undelivered letters, for the staff pages that reach
    /// it through the case desk.
    pub async fn undelivered(&self) -> Result<Vec<LetterState>, CaseError> {
        Ok(self.mail_desk.undelivered().await?)
    }

    /// Queues a failed letter again, through the mail desk. `Ok(false)` when
    /// it is not failed.
    pub async fn retry_letter(&self, viewer: &Viewer, id: i64) -> Result<bool, CaseError> {
        Ok(self.mail_desk.retry(&actor(viewer), id).await?)
    }

    /// The print queue: letters to customers answered by post.
    pub async fn letters_to_print(&self) -> Result<Vec<PrintLetter>, CaseError> {
        Ok(self.mail_desk.to_print().await?)
    }

    /// Records that a letter of the print queue was printed. `Ok(false)`
    /// when it was not waiting to be printed.
    pub async fn mark_printed(&self, viewer: &Viewer, id: i64) -> Result<bool, CaseError> {
        Ok(self.mail_desk.mark_printed(&actor(viewer), id).await?)
    }
}

fn clock_state(vault: &Vault, row: &request::Model) -> Result<ClockState, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { id: row.id, reason: format!("clock state: {reason}") };
    match vault.open_clock(row, ClockColumn::State).map_err(|e| corrupt(e.to_string()))? {
        Some(json) => serde_json::from_str(&json).map_err(|e| corrupt(e.to_string())),
        None => Ok(ClockState::default()),
    }
}
