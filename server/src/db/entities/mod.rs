pub mod request;
pub mod request_event;
pub mod outbox;
