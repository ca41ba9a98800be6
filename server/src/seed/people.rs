//! The seeded customers: names, addresses, phone numbers and email
//! addresses, and the ones who come back with another request.

use app::domain::{Channel, RequestKind};
use rand::Rng;
use rand::seq::IndexedRandom;

use super::maker::Maker;
use super::words::{AREA_CODES, CITIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, STREETS};

#[derive(Clone)]
pub(super) struct Customer {
    pub(super) full_name: String,
    pub(super) email: String,
    pub(super) phone: Option<String>,
    pub(super) postal_address: Option<String>,
    pub(super) account_number: Option<String>,
}

impl Maker {
    /// Either someone who asked before (about one in twelve) or someone new.
    pub(super) fn customer(&mut self, kind: RequestKind, channel: Channel) -> Customer {
        let mut customer = if !self.recent.is_empty() && self.chance(0.08) {
            self.recent.choose(&mut self.rng).cloned().unwrap_or_else(|| self.new_customer())
        } else {
            let customer = self.new_customer();
            if self.recent.len() < 5_000 {
                self.recent.push(customer.clone());
            } else {
                let slot = self.rng.random_range(0..self.recent.len());
                self.recent[slot] = customer.clone();
            }
            customer
        };
        // What each form asks for: an opt-out needs a postal address; a
        // complaint asks for neither address nor account.
        match kind {
            RequestKind::OptOut => {
                if customer.postal_address.is_none() {
                    customer.postal_address = Some(self.address());
                }
            }
            RequestKind::Amendment => customer.postal_address = None,
            RequestKind::Complaint | RequestKind::Appeal => {
                customer.postal_address = None;
                customer.account_number = None;
            }
        }
        if channel == Channel::Phone && customer.phone.is_none() {
            customer.phone = Some(self.phone());
        }
        customer
    }

    fn new_customer(&mut self) -> Customer {
        let first = self.one(FIRST_NAMES);
        let last = self.one(LAST_NAMES);
        let middle = self.chance(0.12).then(|| self.rng.random_range(b'A'..=b'Z') as char);
        let full_name = match middle {
            Some(initial) => format!("{first} {initial}. {last}"),
            None => format!("{first} {last}"),
        };
        let (f, l) = (first.to_lowercase(), last.to_lowercase().replace(['\'', ' '], ""));
        let number = self.rng.random_range(1..9999);
        let year = self.rng.random_range(52..=99);
        let local = match self.rng.random_range(0..6) {
            0 => format!("{f}.{l}"),
            1 => format!("{f}.{l}{number}"),
            2 => format!("{}{l}{year}", &f[..1]),
            3 => format!("{f}_{l}"),
            4 => format!("{f}{l}{}", number % 100),
            _ => format!("{l}.{f}"),
        };
        let domain = self.one(EMAIL_DOMAINS);
        let email =
            if self.chance(0.05) { format!("{}@{domain}", capitalise(&local)) } else { format!("{local}@{domain}") };
        let phone = self.chance(0.45).then(|| self.phone());
        let postal_address = self.chance(0.5).then(|| self.address());
        let account_number = self.chance(0.55).then(|| format!("{:08}", self.rng.random_range(10_000_000..99_999_999)));
        Customer { full_name, email, phone, postal_address, account_number }
    }

    pub(super) fn phone(&mut self) -> String {
        let area = self.one(AREA_CODES);
        format!("{area}-555-01{:02}", self.rng.random_range(0..100))
    }

    pub(super) fn address(&mut self) -> String {
        let number = self.rng.random_range(1..9900);
        let street = self.one(STREETS);
        let (city, state, zip) = *CITIES.choose(&mut self.rng).unwrap_or(&CITIES[0]);
        let unit = if self.chance(0.2) { format!(", Apt {}", self.rng.random_range(1..40)) } else { String::new() };
        format!("{number} {street}{unit}, {city}, {state} {zip}")
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
