//! Reference codes: what a customer reads out on the phone. Short, drawn from
//! characters that cannot be mistaken for one another, and random so that one
//! code says nothing about how many requests came before it.

use serde::{Deserialize, Serialize};

/// Digits and capitals without 0, 1, I, L, O and U: nothing a person could
/// misread or mishear, and no accidental words.
const ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
const GROUP: usize = 4;
const GROUPS: usize = 2;
const PREFIX: &str = "PR";

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReferenceCode(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a reference code: expected PR-XXXX-XXXX")]
pub struct InvalidReference;

impl ReferenceCode {
    /// Builds a code from 64 random bits. 30^8 is about 2^39, so the
    /// remainder is close to uniform.
    pub fn from_random(mut bits: u64) -> Self {
        let mut code = String::with_capacity(PREFIX.len() + GROUPS * (GROUP + 1));
        code.push_str(PREFIX);
        for index in 0..GROUP * GROUPS {
            if index % GROUP == 0 {
                code.push('-');
            }
            let digit = (bits % ALPHABET.len() as u64) as usize;
            bits /= ALPHABET.len() as u64;
            code.push(char::from(ALPHABET[digit]));
        }
        Self(code)
    }

    /// Accepts what a person might type: any case, spaces, with or without
    /// the prefix and dashes.
    pub fn parse(input: &str) -> Result<Self, InvalidReference> {
        let compact: String =
            input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        let body = compact.strip_prefix(PREFIX).unwrap_or(&compact);
        if body.len() != GROUP * GROUPS || !body.bytes().all(|b| ALPHABET.contains(&b)) {
            return Err(InvalidReference);
        }
        let (first, second) = body.split_at(GROUP);
        Ok(Self(format!("{PREFIX}-{first}-{second}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// How every code that begins with what was typed begins, for a search
    /// by the first few characters a caller reads out ("7kq2", "PR 7KQ2 M"):
    /// at least three characters of the code itself, and nothing outside
    /// its alphabet. A whole code is [`Self::parse`]'s.
    pub fn beginning(input: &str) -> Option<String> {
        let compact: String =
            input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        let body = compact.strip_prefix(PREFIX).unwrap_or(&compact);
        if !(3..GROUP * GROUPS).contains(&body.len()) || !body.bytes().all(|b| ALPHABET.contains(&b)) {
            return None;
        }
        let mut beginning = format!("{PREFIX}-");
        for (index, character) in body.chars().enumerate() {
            if index == GROUP {
                beginning.push('-');
            }
            beginning.push(character);
        }
        Some(beginning)
    }
}

/// The API's description holds references to the same alphabet as [`ReferenceCode::parse`]
/// writes them.
#[cfg(feature = "ssr")]
impl utoipa::PartialSchema for ReferenceCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let class: String = ALPHABET.iter().map(|&b| char::from(b)).collect();
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(format!("^{PREFIX}-[{class}]{{{GROUP}}}-[{class}]{{{GROUP}}}$")))
            .examples([ReferenceCode::from_random(0x5eed).0])
            .into()
    }
}

#[cfg(feature = "ssr")]
impl utoipa::ToSchema for ReferenceCode {}

impl TryFrom<String> for ReferenceCode {
    type Error = InvalidReference;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ReferenceCode> for String {
    fn from(code: ReferenceCode) -> Self {
        code.0
    }
}

impl std::fmt::Display for ReferenceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_have_the_documented_shape() {
        for bits in [0, 1, u64::MAX, 0xDEAD_BEEF_1234_5678] {
            let code = ReferenceCode::from_random(bits);
            assert_eq!(code.as_str().len(), "PR-XXXX-XXXX".len());
            assert_eq!(ReferenceCode::parse(code.as_str()), Ok(code.clone()));
            assert!(!code.as_str()[3..].contains(['0', '1', 'I', 'L', 'O', 'U']));
        }
    }

    #[test]
    fn neighbouring_random_values_give_unrelated_looking_codes() {
        assert_ne!(ReferenceCode::from_random(41), ReferenceCode::from_random(42));
    }

    #[test]
    fn parse_forgives_case_spaces_and_missing_dashes() {
        let expected = ReferenceCode::parse("PR-7K4M-9QXR").expect("valid");
        assert_eq!(ReferenceCode::parse(" pr 7k4m 9qxr "), Ok(expected.clone()));
        assert_eq!(ReferenceCode::parse("7K4M9QXR"), Ok(expected));
    }

    #[test]
    fn a_code_is_found_by_its_first_characters_without_the_prefix() {
        assert_eq!(ReferenceCode::beginning("7kq2").as_deref(), Some("PR-7KQ2"));
        assert_eq!(ReferenceCode::beginning("pr 7KQ2 m").as_deref(), Some("PR-7KQ2-M"));
        assert_eq!(ReferenceCode::beginning("7KQ2-MX4").as_deref(), Some("PR-7KQ2-MX4"));
        let whole = ReferenceCode::from_random(42);
        let typed = &whole.as_str()[3..9];
        let beginning = ReferenceCode::beginning(typed).expect("a beginning");
        assert!(whole.as_str().starts_with(&beginning), "{beginning} begins {whole}");
        for not_one in ["7k", "PR", "7KQ2MX4P", "10OI", "smith@x", ""] {
            assert_eq!(ReferenceCode::beginning(not_one), None, "{not_one}");
        }
    }

    #[test]
    fn parse_rejects_ambiguous_characters_and_wrong_lengths() {
        assert_eq!(ReferenceCode::parse("PR-7K4M-9QX0"), Err(InvalidReference));
        assert_eq!(ReferenceCode::parse("PR-7K4M-9QXRR"), Err(InvalidReference));
        assert_eq!(ReferenceCode::parse(""), Err(InvalidReference));
    }
}
