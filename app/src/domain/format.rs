//! How dates, counts and percentages are written for people: on pages, in
//! letters, in the staff's figures. Machine formats (ISO dates in CSV files
//! and URLs, plain digits in exports) are not written here.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::Language;

/// What stands in for a figure there is nothing to work out from.
const NOTHING: &str = "–";

/// "3 March 2026": letters, the tracking page and the staff's headings.
pub fn long_date(day: NaiveDate) -> String {
    long_date_in(day, Language::En)
}

/// [`long_date`] in a customer's language: "3 de marzo de 2026".
pub fn long_date_in(day: NaiveDate, lang: Language) -> String {
    use crate::text::dates;
    let months = [
        dates::january,
        dates::february,
        dates::march,
        dates::april,
        dates::may,
        dates::june,
        dates::july,
        dates::august,
        dates::september,
        dates::october,
        dates::november,
        dates::december,
    ];
    let month = months[day.month0() as usize](lang);
    dates::long(lang, &day.day().to_string(), month, &day.year().to_string())
}

/// The `tel:` link of a phone number as people write it ("(602) 555-0142
/// x12"): its digits, with the leading `+` of an international number and
/// the extension as RFC 3966 writes it, so a tap dials the number.
pub fn tel_href(phone: &str) -> String {
    let (number, extension) = phone.split_once('x').unwrap_or((phone, ""));
    let digits = |text: &str| text.chars().filter(char::is_ascii_digit).collect::<String>();
    let plus = if number.trim_start().starts_with('+') { "+" } else { "" };
    match digits(extension) {
        extension if extension.is_empty() => format!("tel:{plus}{}", digits(number)),
        extension => format!("tel:{plus}{};ext={extension}", digits(number)),
    }
}

/// "3 Mar 2026", where room is short, as in the queue's columns.
pub fn short_date(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

/// "3 Mar", under a chart's bars, where the year is the period's.
pub fn day_and_month(day: NaiveDate) -> String {
    day.format("%-d %b").to_string()
}

/// "3 Mar 2026, 14:05:09 UTC": when a system did something, as its logs
/// would say it, where the second and the zone matter.
pub fn utc_moment(at: DateTime<Utc>) -> String {
    at.format("%-d %b %Y, %H:%M:%S UTC").to_string()
}

/// "March 2026", when only the month matters.
pub fn month_and_year(day: NaiveDate) -> String {
    day.format("%B %Y").to_string()
}

/// A count as people read it, thousands set apart: 560,133.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A table cell for the page: counts grouped as [`grouped`] does, anything
/// else as it is. The CSV files keep plain digits, which spreadsheets read.
pub fn grouped_cell(cell: &str) -> String {
    cell.parse::<u64>().map_or_else(|_| cell.to_owned(), grouped)
}

/// An axis label, short enough for a phone: 2,500 as 2.5k.
pub fn compact(value: f64) -> String {
    match value {
        v if v >= 1000.0 && (v / 1000.0).fract() == 0.0 => format!("{:.0}k", v / 1000.0),
        v if v >= 1000.0 => format!("{:.1}k", v / 1000.0),
        v => format!("{v:.0}"),
    }
}

/// A percentage with one decimal, or a dash when there is nothing to divide.
pub fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| NOTHING.to_owned(), |v| format!("{v:.1}%"))
}

/// Days as a whole number, or with one decimal for a median between two.
pub fn days(value: Option<f64>) -> String {
    value.map_or_else(|| NOTHING.to_owned(), |v| if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_number_as_typed_becomes_a_number_to_dial() {
        assert_eq!(tel_href("(602) 555-0142"), "tel:6025550142");
        assert_eq!(tel_href("+1 602.555.0142"), "tel:+16025550142");
        assert_eq!(tel_href("602-555-0142 x12"), "tel:6025550142;ext=12");
    }

    #[test]
    fn counts_read_with_thousands_set_apart() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(560_133), "560,133");
        assert_eq!(grouped(1_000_000), "1,000,000");
        assert_eq!(grouped_cell("24616"), "24,616");
        assert_eq!(grouped_cell("92.3%"), "92.3%");
        assert_eq!(grouped_cell("Opt-outs"), "Opt-outs");
        assert_eq!(
            (compact(0.0), compact(500.0), compact(2500.0), compact(20000.0)),
            ("0".to_owned(), "500".to_owned(), "2.5k".to_owned(), "20k".to_owned())
        );
    }

    #[test]
    fn dates_are_written_day_first_without_a_leading_zero() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
        assert_eq!(long_date(day), "3 March 2026");
        assert_eq!(short_date(day), "3 Mar 2026");
        assert_eq!(day_and_month(day), "3 Mar");
        assert_eq!(month_and_year(day), "March 2026");
    }

    #[test]
    fn a_customer_s_dates_are_in_their_language() {
        let day = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        assert_eq!(long_date_in(day, Language::Es), "4 de enero de 2027");
        assert_eq!(long_date_in(day, Language::En), "4 January 2027");
    }

    #[test]
    fn missing_figures_are_a_dash() {
        assert_eq!(percent(None), "–");
        assert_eq!(percent(Some(92.345)), "92.3%");
        assert_eq!(days(None), "–");
        assert_eq!(days(Some(4.0)), "4");
        assert_eq!(days(Some(2.5)), "2.5");
    }
}
