//! The change feed: every entry in the order it was recorded, read page by
//! page with a cursor. The cursor is the last entry's id, which [`record`]
//! makes safe to page by: no entry becomes visible after a larger one.
//!
//! [`record`]: super::record

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{Entry, Register, RegisterError};
use crate::db::entities::opt_out_entry;

/// Where a reader of the feed stands. Opaque to readers, so that its form
/// may change without breaking them; its text is versioned for that.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor(i64);

const PREFIX: &str = "o1:";

impl Cursor {
    /// Before the first entry.
    pub fn start() -> Self {
        Self(0)
    }

    /// Just after the entry with this id.
    pub fn after(id: i64) -> Self {
        Self(id)
    }

    pub fn parse(text: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let id: i64 = text.strip_prefix(PREFIX)?.parse().ok()?;
        (id >= 0).then_some(Self(id))
    }

    pub fn encode(self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{PREFIX}{}", self.0))
    }
}

impl Register {
    /// Up to `limit` entries after `since`, oldest first, and the cursor to
    /// ask with next (`since` itself when there was nothing new).
    pub async fn changes(&self, since: Cursor, limit: u64) -> Result<(Vec<Entry>, Cursor), RegisterError> {
        let rows = opt_out_entry::Entity::find()
            .filter(opt_out_entry::Column::Id.gt(since.0))
            .order_by_asc(opt_out_entry::Column::Id)
            .limit(limit)
            .all(&self.read)
            .await?;
        let next = rows.last().map_or(since, |row| Cursor(row.id));
        Ok((self.open_all(rows)?, next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_nothing_else_passes_for_one() {
        for id in [0, 1, 42, i64::MAX] {
            assert_eq!(Cursor::parse(&Cursor(id).encode()), Some(Cursor(id)));
        }
        for text in ["", "42", "o1:42", "bzE6LTE", "%%%"] {
            assert_eq!(Cursor::parse(text), None, "{text:?}");
        }
    }
}
