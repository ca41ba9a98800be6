//! The register as staff see it: the list with its filters, a person's
//! history, and the export of who was opted out on a chosen day, all in
//! the same rows and with the same labels.

use std::collections::HashMap;

use app::domain::register::{self, PersonHistory, RegisterPage, RegisterQuery, RegisterRow, Search, columns};
use app::domain::request::Choice;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{Entry, Filter, Lookup, Register, RegisterError};
use crate::db::entities::request;

/// Entries a page of the list shows.
const PAGE: u64 = 50;

impl From<Search> for Lookup {
    fn from(search: Search) -> Self {
        match search {
            Search::Email(email) => Self::Email(email),
            Search::Account(number) => Self::Account(number),
            Search::Name(name) => Self::Name(name),
        }
    }
}

impl Register {
    /// A page of the list for the address's query, newest first.
    pub async fn page(&self, query: &RegisterQuery) -> Result<RegisterPage, RegisterError> {
        let filter = Filter {
            lookup: query.search().map(Lookup::from),
            scope: query.scope,
            source: query.source,
            effective_from: query.from,
            effective_to: query.to,
            before: query.before,
            limit: PAGE + 1,
        };
        let mut entries = self.list(&filter).await?;
        let more = entries.len() as u64 > PAGE;
        entries.truncate(PAGE as usize);
        let next = match entries.last() {
            Some(last) if more => {
                Some(RegisterQuery { before: Some(last.facts.id), ..query.clone() }.to_query_string())
            }
            _ => None,
        };
        Ok(RegisterPage { rows: self.rows(entries).await?, next, today: self.today() })
    }

    /// The history of the person an opt-out is about: every entry under
    /// their email address, and those of their opt-outs that stand today.
    pub async fn person(&self, opt_out: &str) -> Result<Option<PersonHistory>, RegisterError> {
        let Some(first) = self.opt_out(opt_out).await?.into_iter().next() else { return Ok(None) };
        let mut entries = self.history(&Lookup::Email(first.person.email.clone())).await?;
        if entries.is_empty() {
            entries = self.opt_out(opt_out).await?;
        }
        let standing: Vec<i64> =
            register::standing_on(&entries, self.today(), |entry| &entry.facts).iter().map(|e| e.facts.id).collect();
        let rows = self.rows(entries).await?;
        let standing = rows.iter().filter(|row| standing.contains(&row.id)).cloned().collect();
        Ok(Some(PersonHistory { name: first.person.full_name, email: first.person.email, rows, standing }))
    }

    /// Who was opted out on `day`, one row per opt-out standing then, as CSV.
    pub async fn export(&self, day: NaiveDate) -> Result<Vec<u8>, RegisterError> {
        let rows = self.rows(self.as_of(day).await?).await?;
        let mut csv = csv::Writer::from_writer(Vec::new());
        let csv_error = |e: csv::Error| RegisterError::Corrupt { id: 0, what: format!("csv: {e}") };
        csv.write_record([
            columns::EFFECTIVE,
            columns::CHANGE,
            columns::NAME,
            columns::EMAIL,
            columns::ACCOUNT,
            columns::ADDRESS,
            columns::HOLDERS,
            columns::SCOPE,
            columns::JOINT,
            columns::SOURCE,
            columns::RECORDED,
            columns::REQUEST,
        ])
        .map_err(csv_error)?;
        for row in &rows {
            csv.write_record([
                row.effective_on.to_string().as_str(),
                row.change.label(),
                &row.name,
                &row.email,
                row.account_number.as_deref().unwrap_or_default(),
                row.postal_address.as_deref().unwrap_or_default(),
                &row.holders_line(),
                row.scope.label(),
                row.joint_account.label(),
                row.source.label(),
                &row.recorded_on.to_string(),
                row.reference.as_deref().unwrap_or_default(),
            ])
            .map_err(csv_error)?;
        }
        csv.into_inner().map_err(|e| RegisterError::Corrupt { id: 0, what: format!("csv: {e}") })
    }

    async fn rows(&self, entries: Vec<Entry>) -> Result<Vec<RegisterRow>, RegisterError> {
        let ids: Vec<i64> = entries.iter().filter_map(|entry| entry.request_id).collect();
        let references: HashMap<i64, String> = if ids.is_empty() {
            HashMap::new()
        } else {
            request::Entity::find()
                .select_only()
                .column(request::Column::Id)
                .column(request::Column::Reference)
                .filter(request::Column::Id.is_in(ids))
                .into_tuple::<(i64, String)>()
                .all(&self.read)
                .await?
                .into_iter()
                .collect()
        };
        Ok(entries
            .into_iter()
            .map(|entry| RegisterRow {
                id: entry.facts.id,
                reference: entry.request_id.and_then(|id| references.get(&id).cloned()),
                opt_out: entry.facts.opt_out,
                change: entry.facts.change,
                scope: entry.facts.scope,
                joint_account: entry.facts.joint_account,
                source: entry.facts.source,
                effective_on: entry.facts.effective_on,
                recorded_on: self.clocks.local_date(entry.recorded_at),
                name: entry.person.full_name,
                email: entry.person.email,
                postal_address: entry.person.postal_address,
                account_number: entry.person.account_number,
                holders: entry.person.holders,
                reason: entry.reason,
            })
            .collect())
    }
}
