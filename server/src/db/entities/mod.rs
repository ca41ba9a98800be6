pub mod audit_entry;
pub mod outbox;
pub mod request;
pub mod request_event;
pub mod sign_in_failure;
pub mod staff_session;
pub mod staff_user;
