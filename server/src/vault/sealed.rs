use sea_orm::DeriveValueType;

/// A stored personal field. Only the vault makes one from plain text, so an
/// entity column of this type cannot be given plain text by accident; and
/// its `Debug` shows no content.
#[derive(Clone, PartialEq, Eq, DeriveValueType)]
pub struct Sealed(String);

impl Sealed {
    pub(super) fn from_stored(text: String) -> Self {
        Self(text)
    }

    /// What a purge leaves in a required field: it opens as empty text.
    pub fn empty() -> Self {
        Self(String::new())
    }

    /// The text as it is stored.
    pub fn as_stored(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match super::key_of(&self.0) {
            Some(key) => write!(f, "Sealed(key {key})"),
            None if self.0.is_empty() => f.write_str("Sealed(empty)"),
            None => f.write_str("Sealed(not sealed)"),
        }
    }
}
