//! Turning text as typed into the values a request holds.

use chrono::NaiveDate;

use super::FieldErrors;
use crate::domain::Contact;
use crate::domain::request::Choice;

/// Trims and turns an empty field into `None`.
pub fn optional(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Reads a date typed as YYYY-MM-DD (what `<input type="date">` sends; a
/// month or day of one digit, as a person may type it, too). Read by hand:
/// chrono's format parser would be a tenth of what the browser downloads.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let mut parts = value.trim().split('-');
    let mut number = |digits: std::ops::RangeInclusive<usize>| {
        parts
            .next()
            .filter(|part| digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|part| part.parse::<u32>().ok())
    };
    let (year, month, day) = (number(4..=4)?, number(1..=2)?, number(1..=2)?);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Reads one of a fixed set of choices; anything else notes `prompt`
/// against `field`.
pub fn choice<C: Choice>(errors: &mut FieldErrors, field: &str, value: &str, prompt: &str) -> Option<C> {
    let parsed = C::from_key(value.trim());
    if parsed.is_none() {
        errors.insert(field, prompt);
    }
    parsed
}

/// The requester's contact details, trimmed, with empty ones left out.
pub fn contact(full_name: &str, email: &str, phone: &str, address: &str, account: &str) -> Contact {
    Contact {
        full_name: full_name.trim().to_owned(),
        email: email.trim().to_owned(),
        phone: optional(phone),
        postal_address: optional(address),
        account_number: optional(account),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_a_date_input_sends_them() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_date("2026-11-25"), date(2026, 11, 25));
        assert_eq!(parse_date(" 2026-1-5 "), date(2026, 1, 5));
        for refused in
            ["", "2026-02-30", "2026-13-01", "26-11-25", "2026-11-25-1", "2026/11/25", "2026-+1-05", "25-11-2026"]
        {
            assert_eq!(parse_date(refused), None, "{refused}");
        }
    }
}
