//! Building blocks that pages share.

mod fields;
mod request_form;

pub use fields::{ChoiceField, TextArea, TextField, options_of};
pub use request_form::RequestFormView;
