//! Composing letters from the template files in `server/templates/email`.
//! HTML templates escape every value; plain-text templates need no escaping.

use app::domain::{ReferenceCode, RequestKind, SiteInfo};
use minijinja::{Environment, Value, context};
use serde::Serialize;

/// A letter ready for the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composed {
    pub template: &'static str,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The private link in the letter, if it carries one.
    pub secret: Option<String>,
}

/// What the portal writes to customers, with what each letter needs.
pub enum Letter<'a> {
    Receipt {
        name: &'a str,
        reference: &'a ReferenceCode,
        kind: RequestKind,
        summary: &'a str,
        received_on: String,
        tracking_url: &'a str,
        needs_verification: bool,
    },
    Verification {
        name: &'a str,
        reference: &'a ReferenceCode,
        verify_url: &'a str,
        valid_hours: u32,
    },
    ClosedUnverified {
        name: &'a str,
        reference: &'a ReferenceCode,
        kind: RequestKind,
        close_days: u32,
    },
}

impl Letter<'_> {
    fn template(&self) -> &'static str {
        match self {
            Self::Receipt { .. } => "receipt",
            Self::Verification { .. } => "verification",
            Self::ClosedUnverified { .. } => "closed_unverified",
        }
    }

    fn subject(&self) -> String {
        match self {
            Self::Receipt { reference, kind, .. } => format!("We received your request {reference}: {}", kind.label()),
            Self::Verification { reference, .. } => format!("Please confirm your email address for request {reference}"),
            Self::ClosedUnverified { reference, .. } => format!("Your request {reference} has been closed"),
        }
    }
}

/// What the customer is told happens after a request of this kind arrives.
fn next_steps(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::OptOut => {
            "We will stop sharing your information as you asked as soon as we can, and email you when your \
             opt-out has taken effect. You do not need to do anything else."
        }
        RequestKind::Amendment => {
            "We will review the information you asked us to amend and reply in writing. If we need more \
             information from you, we will ask. If we cannot make the change, we will explain why and tell \
             you what you can do next."
        }
        RequestKind::Complaint => {
            "We will look into your complaint and tell you what we found and what we have done about it. \
             Making a complaint will never affect how we treat you."
        }
    }
}

pub struct Letters {
    env: Environment<'static>,
    org: SiteInfo,
}

impl Letters {
    pub fn new(org: SiteInfo) -> Self {
        let mut env = Environment::new();
        for (name, source) in [
            ("base.html", include_str!("../../templates/email/base.html")),
            ("base.txt", include_str!("../../templates/email/base.txt")),
            ("receipt.html", include_str!("../../templates/email/receipt.html")),
            ("receipt.txt", include_str!("../../templates/email/receipt.txt")),
            ("verification.html", include_str!("../../templates/email/verification.html")),
            ("verification.txt", include_str!("../../templates/email/verification.txt")),
            ("closed_unverified.html", include_str!("../../templates/email/closed_unverified.html")),
            ("closed_unverified.txt", include_str!("../../templates/email/closed_unverified.txt")),
        ] {
            env.add_template(name, source).expect("the email templates shipped with the binary parse");
        }
        Self { env, org }
    }

    pub fn compose(&self, letter: &Letter<'_>) -> Result<Composed, minijinja::Error> {
        let subject = letter.subject();
        // Links are built by the portal from its configured address and a
        // URL-safe token; they go in as they are, so that HTML escaping does
        // not turn every slash into an entity.
        let url = |link: &str| Value::from_safe_string(link.to_owned());
        let values = match letter {
            Letter::Receipt { name, reference, kind, summary, received_on, tracking_url, needs_verification } => {
                context! {
                    name, reference => reference.as_str(), kind_label => kind.label(), summary, received_on,
                    tracking_url => url(tracking_url), needs_verification, next_steps => next_steps(*kind),
                }
            }
            Letter::Verification { name, reference, verify_url, valid_hours } => {
                context! { name, reference => reference.as_str(), verify_url => url(verify_url), valid_hours }
            }
            Letter::ClosedUnverified { name, reference, kind, close_days } => {
                context! { name, reference => reference.as_str(), kind_label => kind.label(), close_days }
            }
        };
        let values = context! { org => Org::from(&self.org), subject => &subject, ..values };
        let template = letter.template();
        let secret = match letter {
            Letter::Receipt { tracking_url, .. } => Some((*tracking_url).to_owned()),
            Letter::Verification { verify_url, .. } => Some((*verify_url).to_owned()),
            Letter::ClosedUnverified { .. } => None,
        };
        Ok(Composed {
            secret,
            template,
            text: self.env.get_template(&format!("{template}.txt"))?.render(&values)?,
            html: self.env.get_template(&format!("{template}.html"))?.render(&values)?,
            subject,
        })
    }
}

#[derive(Serialize)]
struct Org<'a> {
    org_name: &'a str,
    org_address: &'a str,
    privacy_phone: &'a str,
    opt_out_phone: &'a str,
}

impl<'a> From<&'a SiteInfo> for Org<'a> {
    fn from(site: &'a SiteInfo) -> Self {
        Self {
            org_name: &site.org_name,
            org_address: &site.org_address,
            privacy_phone: &site.privacy_phone,
            opt_out_phone: &site.opt_out_phone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt(letters: &Letters, name: &str) -> Composed {
        let reference = ReferenceCode::parse("PR-7K4M-9QXR").expect("valid");
        letters
            .compose(&Letter::Receipt {
                name,
                reference: &reference,
                kind: RequestKind::Amendment,
                summary: "Amend insurance information",
                received_on: "25 November 2026".into(),
                tracking_url: "https://privacy.example.com/track/TOKEN",
                needs_verification: true,
            })
            .expect("composes")
    }

    #[test]
    fn a_receipt_names_the_request_and_carries_the_link_in_both_bodies() {
        let letters = Letters::new(SiteInfo::default());
        let mail = receipt(&letters, "Ada");
        assert_eq!(mail.subject, "We received your request PR-7K4M-9QXR: Amendment of personal information");
        for body in [&mail.text, &mail.html] {
            assert!(body.contains("PR-7K4M-9QXR"));
            assert!(body.contains("https://privacy.example.com/track/TOKEN"));
            assert!(body.contains("confirm your email address"));
            assert!(body.contains("Example Medical Supply"));
            assert!(body.contains("1-800-555-0199"));
        }
    }

    #[test]
    fn customer_text_is_escaped_in_html_and_verbatim_in_text() {
        let letters = Letters::new(SiteInfo::default());
        let mail = receipt(&letters, "<b>Ada</b> & co");
        assert!(mail.html.contains("&lt;b&gt;Ada&lt;&#x2f;b&gt; &amp; co"), "{}", mail.html);
        assert!(!mail.html.contains("<b>Ada"));
        assert!(mail.text.contains("Dear <b>Ada</b> & co,"));
    }
}
