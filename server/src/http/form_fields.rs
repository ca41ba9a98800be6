//! Typed form bodies read from a form's fields as sent, in order. A field
//! sent more than once fills a `Vec` with every value, and anything else
//! with the first, as a browser's `FormData.get` would; so a repeated field
//! is never a reason to refuse a form.

use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

pub fn read<T: DeserializeOwned>(fields: &[(String, String)]) -> Result<T, Error> {
    let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
    for (name, value) in fields {
        match grouped.iter_mut().find(|(seen, _)| seen == name) {
            Some((_, values)) => values.push(value),
            None => grouped.push((name, vec![value])),
        }
    }
    T::deserialize(MapDeserializer::new(grouped.into_iter().map(|(name, values)| (name, Values(values)))))
}

/// Every value one field was sent with.
struct Values<'a>(Vec<&'a str>);

impl<'de> IntoDeserializer<'de, Error> for Values<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Values<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_str(self.0.first().copied().unwrap_or_default())
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_seq(SeqDeserializer::new(self.0.into_iter()))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct
        newtype_struct tuple tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Sample {
        one: String,
        many: Vec<String>,
        maybe: Option<String>,
        #[serde(flatten)]
        rest: BTreeMap<String, String>,
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
    }

    #[test]
    fn repeated_fields_fill_lists_and_the_first_value_wins_elsewhere() {
        let sample: Sample =
            super::read(&fields(&[("one", "a"), ("many", "x"), ("one", "b"), ("many", "y"), ("other", "z")]))
                .expect("readable");
        assert_eq!(sample.one, "a");
        assert_eq!(sample.many, ["x", "y"]);
        assert_eq!(sample.maybe, None);
        assert_eq!(sample.rest.get("other").map(String::as_str), Some("z"));
    }

    #[test]
    fn missing_fields_read_as_empty_and_present_ones_as_sent() {
        let sample: Sample = super::read(&fields(&[("maybe", "")])).expect("readable");
        assert_eq!(sample, Sample { maybe: Some(String::new()), ..Sample::default() });
    }
}
