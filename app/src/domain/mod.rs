//! Rules of the privacy-request domain that browser and server share.

/// An enum of fixed choices with one stable machine name each, used in the
/// database, in form values and in URLs.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $key:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable name stored in the database and used in URLs.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $key),+ }
            }

            pub fn parse(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        // The API's description lists the same names serde reads and writes.
        #[cfg(feature = "ssr")]
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .enum_values(Some(Self::ALL.iter().map(|value| value.as_str())))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl ::utoipa::ToSchema for $name {}
    };
}

/// A [`named_enum!`] offered as a form choice, with what the form says.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $key:literal : $label:literal),+ $(,)? }) => {
        named_enum! { $(#[$meta])* $name { $($variant => $key),+ } }

        impl Choice for $name {
            fn options() -> &'static [Self] { Self::ALL }
            fn key(self) -> &'static str { self.as_str() }
            fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }
        }
    };
}

/// A [`choice!`] a customer reads, named in their language by the texts
/// of `app/locales/*/choices.toml`: `Variant => "key": text_function`.
macro_rules! customer_choice {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $key:literal : $text:ident),+ $(,)? }) => {
        named_enum! { $(#[$meta])* $name { $($variant => $key),+ } }

        impl Choice for $name {
            fn options() -> &'static [Self] { Self::ALL }
            fn key(self) -> &'static str { self.as_str() }
            fn label(self) -> &'static str {
                self.label_in($crate::domain::Language::En)
            }
            fn label_in(self, lang: $crate::domain::Language) -> &'static str {
                match self { $(Self::$variant => $crate::text::choices::$text(lang)),+ }
            }
        }
    };
}

pub mod access;
pub mod accounts;
pub mod case;
pub mod clock;
pub mod disagreement;
pub mod documents;
pub mod email;
pub mod form;
pub mod format;
pub mod gpc;
pub mod kind;
pub mod language;
pub mod metrics;
pub mod notices;
pub mod queue;
pub mod reference;
pub mod register;
pub mod request;
pub mod saved_views;
pub mod site;
pub mod staff_forms;
pub mod tracking;
pub mod webhooks;
pub mod wording;
pub mod workflow;

pub use access::{Action, Role, Viewer};
pub use form::{FieldErrors, FormState, ParseContext, RequestForm};
pub use kind::{Channel, EventKind, RequestKind, RequestStatus};
pub use language::Language;
pub use reference::ReferenceCode;
pub use request::{Agent, AgentRelationship, Contact, NewRequest, RequestDetails};
pub use site::SiteInfo;
pub use tracking::{RecordedEvent, TimelineEntry, TrackedRequest, TrackingView};
