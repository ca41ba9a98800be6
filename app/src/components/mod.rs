//! Building blocks that pages share.

mod copy_button;
mod fields;
mod request_fields;
mod request_form;
mod staff_fields;

pub use copy_button::CopyButton;
pub use fields::{ChoiceField, TextArea, TextField, options_of};
pub use request_fields::{AmendmentFields, ComplaintFields, OptOutFields};
pub use request_form::{AmendmentFormView, ComplaintFormView, OptOutFormView};
pub use staff_fields::{FormAlert, InputField, SelectField, StaffForm, TextAreaField, choices};
