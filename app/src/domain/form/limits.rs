//! Upper bounds, in characters, shared by the forms and their pages.

pub const NAME: u64 = 200;
pub const EMAIL: u64 = 254;
pub const PHONE: u64 = 40;
pub const ADDRESS: u64 = 500;
pub const ACCOUNT: u64 = 64;
pub const CHOICE: u64 = 40;
pub const DATE: u64 = 10;
pub const TEXT: u64 = 2000;
pub const LONG_TEXT: u64 = 4000;
/// The other holders a joint-account opt-out may name. Joint accounts
/// have two to four holders in practice; nine names of at most `NAME`
/// characters, one a line, always fit the form's `TEXT`, so the API can
/// describe the list exactly. The opt-out form's hint says "up to nine".
pub const OTHER_HOLDERS: usize = 9;
/// A statement of disagreement, whose own limit is in words (the rules'
/// `[[statement]]`): this only bounds what is stored when no rule does.
pub const STATEMENT: u64 = 10_000;
