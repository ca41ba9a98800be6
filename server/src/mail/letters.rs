//! Composing letters from the template files in `server/templates/email`.
//! HTML templates escape every value; plain-text templates need no escaping.

use app::domain::format::long_date;
use app::domain::request::Choice;
use app::domain::staff_forms::LetterPreview;
use app::domain::workflow::Outcome;
use app::domain::{RequestKind, SiteInfo};
use minijinja::{Environment, Value, context};
use serde::Serialize;

use super::letter::{CustomerNews, Letter};
use super::wording::{DEFAULT_SUBJECT, InForce, Wording};

macro_rules! template {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../templates/email/", $name, ".txt")),
            include_str!(concat!("../../templates/email/", $name, ".html")),
        )
    };
}

/// A letter ready for the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composed {
    pub template: &'static str,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The private links in the letter, if it carries any.
    pub secrets: Vec<String>,
}

impl Composed {
    /// The letter as a page shows it before it is sent or saved.
    pub fn preview(self) -> LetterPreview {
        LetterPreview {
            style_hashes: style_hashes(&self.html),
            subject: self.subject,
            html: self.html,
            text: self.text,
            ..LetterPreview::default()
        }
    }
}

/// The policy hash source of each inline style in `html` (every `style`
/// attribute and `<style>` element), each once.
fn style_hashes(html: &str) -> Vec<String> {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let mut styles = std::collections::BTreeSet::new();
    for (open, close) in [("style=\"", "\""), ("<style>", "</style>")] {
        let mut rest = html;
        while let Some(at) = rest.find(open) {
            let after = &rest[at + open.len()..];
            let Some(end) = after.find(close) else { break };
            let value = &after[..end];
            // An attribute is hashed as the browser reads it, entities decoded.
            let read = if open.starts_with("style") {
                value
                    .replace("&quot;", "\"")
                    .replace("&#x27;", "'")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            } else {
                value.to_owned()
            };
            let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(read.as_bytes()));
            styles.insert(format!("'sha256-{digest}'"));
            rest = &after[end..];
        }
    }
    styles.into_iter().collect()
}

/// Every template shipped with the binary, by name without extension.
const TEMPLATES: &[(&str, &str, &str)] = &[
    template!("receipt"),
    template!("verification"),
    template!("tracking_link"),
    template!("confirm_revocation"),
    template!("closed_unverified"),
    template!("staff_invite"),
    template!("case_message"),
    template!("awaiting_customer"),
    template!("extension"),
    template!("opt_out_applied"),
    template!("amendment_accepted"),
    template!("amendment_denied"),
    template!("amendment_notice"),
    template!("complaint_resolved"),
    template!("case_closed"),
    template!("digest"),
    template!("customer_replied"),
    template!("withdrawn"),
    template!("confirm_action"),
    template!("merged"),
    template!("rebuttal"),
    template!("appeal_granted"),
    template!("appeal_denied"),
];

/// What the customer is told happens after a request of this kind arrives.
fn next_steps(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::OptOut => {
            "We will stop sharing your information as you asked as soon as we can, and let you know when your \
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
        RequestKind::Appeal => {
            "Someone who did not make the decision you appeal will review it, and we will tell you in writing \
             what we decided and why. If we do not change our decision, we will tell you how to complain to \
             your state's Attorney General."
        }
    }
}

/// Whether a message staff typed already greets the customer. The letter
/// then opens with it rather than with a greeting of its own, so the
/// customer is not greeted twice ("Dear Ada, ... Dear Ada,").
fn opens_with_greeting(body: &str) -> bool {
    let first = body.trim_start().lines().next().unwrap_or_default().to_lowercase();
    ["dear ", "hello", "hi ", "hi,", "good morning", "good afternoon", "good evening"]
        .iter()
        .any(|greeting| first.starts_with(greeting))
}

const SHIPPED: &str = "the email templates shipped with the binary parse";

/// Which part of a letter's wording a template error is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Subject,
    Text,
    Html,
}

/// A saved wording that does not render: which part, and why.
#[derive(Debug, thiserror::Error)]
#[error("{source}")]
pub struct WordingError {
    pub part: Part,
    #[source]
    pub source: minijinja::Error,
}

pub struct Letters {
    env: Environment<'static>,
    /// The same templates, for wording administrators typed: without the
    /// `safe` filter, so what customers and staff typed stays escaped
    /// however a template is written.
    reworded: Environment<'static>,
    org: SiteInfo,
    wording: InForce,
}

impl Letters {
    pub fn new(org: SiteInfo) -> Self {
        let mut env = Environment::new();
        env.add_template("base.html", include_str!("../../templates/email/base.html")).expect(SHIPPED);
        env.add_template("base.txt", include_str!("../../templates/email/base.txt")).expect(SHIPPED);
        env.add_template("reference.html", include_str!("../../templates/email/reference.html")).expect(SHIPPED);
        for (name, source) in [
            ("appeal_section.txt", include_str!("../../templates/email/appeal_section.txt")),
            ("appeal_section.html", include_str!("../../templates/email/appeal_section.html")),
        ] {
            env.add_template(name, source).expect(SHIPPED);
        }
        for (name, text, html) in TEMPLATES {
            env.add_template_owned(format!("{name}.txt"), *text).expect(SHIPPED);
            env.add_template_owned(format!("{name}.html"), *html).expect(SHIPPED);
        }
        let mut reworded = env.clone();
        reworded.remove_filter("safe");
        // A misspelt name in an administrator's template is an error on the
        // sample, not a blank in a customer's letter.
        reworded.set_undefined_behavior(minijinja::UndefinedBehavior::SemiStrict);
        Self { env, reworded, org, wording: InForce::default() }
    }

    /// Writes each letter an administrator reworded from its wording in force.
    pub fn reworded_by(mut self, wording: InForce) -> Self {
        self.wording = wording;
        self
    }

    /// The default wording of `letter`, from the template files.
    pub fn default_wording(&self, letter: &str) -> Option<Wording> {
        let source = |extension: &str| {
            self.env.get_template(&format!("{letter}.{extension}")).ok().and_then(|t| t.source().to_owned().into())
        };
        Some(Wording { subject: DEFAULT_SUBJECT.to_owned(), text: source("txt")?, html: source("html")? })
    }

    pub fn compose(&self, letter: &Letter<'_>) -> Result<Composed, minijinja::Error> {
        self.compose_for(letter, false)
    }

    /// Composes a letter that goes `by_post` (printed from the print queue)
    /// or by email: the letter then calls itself a letter, not an email.
    pub fn compose_for(&self, letter: &Letter<'_>, by_post: bool) -> Result<Composed, minijinja::Error> {
        if let Some(wording) = self.wording.get(letter.template()) {
            match self.compose_with(letter, by_post, Some(&wording)) {
                Ok(composed) => return Ok(composed),
                // A saved wording rendered on its sample when it was saved;
                // should it fail on a real request, the letter still goes,
                // in the default words, and the log says why.
                Err(error) => {
                    tracing::error!(letter = letter.template(), %error, "saved wording failed; default used");
                }
            }
        }
        self.compose_with(letter, by_post, None).map_err(|error| error.source)
    }

    /// Composes `letter` from `wording`, or from the template files when
    /// `None`; an error names the part of the wording it is in.
    pub fn compose_with(
        &self,
        letter: &Letter<'_>,
        by_post: bool,
        wording: Option<&Wording>,
    ) -> Result<Composed, WordingError> {
        let subject = letter.subject();
        // Links are built by the portal from its configured address and a
        // URL-safe token; they go in as they are, so that HTML escaping does
        // not turn every slash into an entity.
        let url = |link: &str| Value::from_safe_string(link.to_owned());
        let values = match letter {
            Letter::Receipt {
                name,
                reference,
                kind,
                summary,
                received_on,
                tracking_url,
                verify_url,
                valid_hours,
                answer_by,
                agent,
                on_behalf_of,
            } => {
                context! {
                    name, reference => reference.as_str(), kind_label => kind.label(), summary, received_on,
                    tracking_url => url(tracking_url), verify_url => verify_url.map(url), valid_hours,
                    next_steps => next_steps(*kind), answer_by, agent, on_behalf_of,
                }
            }
            Letter::Verification { name, reference, verify_url, valid_hours } => {
                context! { name, reference => reference.as_str(), verify_url => url(verify_url), valid_hours }
            }
            Letter::ConfirmRevocation { name, reference, revoke_url, valid_hours } => {
                context! { name, reference => reference.as_str(), revoke_url => url(revoke_url), valid_hours }
            }
            Letter::ConfirmAction { name, reference, what, confirm_url, valid_hours } => {
                context! { name, reference => reference.as_str(), what, confirm_url => url(confirm_url), valid_hours }
            }
            Letter::TrackingLink { name, reference, kind, tracking_url } => {
                context! { name, reference => reference.as_str(), kind_label => kind.label(), tracking_url => url(tracking_url) }
            }
            Letter::ClosedUnverified { name, reference, kind, close_days } => {
                context! { name, reference => reference.as_str(), kind_label => kind.label(), close_days }
            }
            Letter::StaffInvite { name, invited_by, role, welcome_url, valid_days } => {
                context! { name, invited_by, role, welcome_url => url(welcome_url), valid_days }
            }
            Letter::CaseMessage { name, reference, kind, body } => {
                context! {
                    name, reference => reference.as_str(), kind_label => kind.label(), body,
                    greeted => opens_with_greeting(body),
                }
            }
            Letter::AwaitingCustomer { name, reference, kind, what, pauses } => {
                context! { name, reference => reference.as_str(), kind_label => kind.label(), what, pauses }
            }
            Letter::Extension { name, reference, kind, reason, old_date, new_date, citation } => {
                context! {
                    name, reference => reference.as_str(), kind_label => kind.label(), reason, old_date, new_date,
                    citation,
                }
            }
            Letter::Outcome {
                name,
                reference,
                outcome,
                told,
                covers,
                appeal_offered,
                appeal_of,
                attorneys_general,
            } => {
                let base = context! {
                    name, reference => reference.as_str(), told, covers, appeal_offered, appeal_of, attorneys_general,
                };
                match outcome {
                    Outcome::OptOutApplied { effective_on } => {
                        context! { effective_on => long_date(*effective_on), ..base }
                    }
                    Outcome::AmendmentAccepted { records_changed } => {
                        context! { records_changed, partly => false, ..base }
                    }
                    Outcome::AmendmentPartlyAccepted { records_changed, reason } => {
                        context! { records_changed, reason, partly => true, ..base }
                    }
                    Outcome::AmendmentDenied { ground, explanation } => {
                        context! { ground => ground.label(), explanation, ..base }
                    }
                    Outcome::ComplaintResolved { category, resolution } => {
                        context! { category => category.label().to_lowercase(), resolution, ..base }
                    }
                    Outcome::AppealGranted { decision } => context! { decision, ..base },
                    Outcome::AppealDenied { explanation } => context! { explanation, ..base },
                }
            }
            Letter::CaseClosed { name, reference, kind, reason, note } => {
                context! { name, reference => reference.as_str(), kind_label => kind.label(), reason, note }
            }
            Letter::Digest { name, day, due_soon, overdue, all_overdue, queue_url } => {
                context! { name, day, due_soon, overdue, all_overdue, queue_url => url(queue_url) }
            }
            Letter::CustomerReplied { name, reference, kind, case_url, resumed, news } => {
                let (news, documents) = match news {
                    CustomerNews::Reply => ("reply", 0),
                    CustomerNews::Documents(count) => ("documents", *count),
                    CustomerNews::Statement => ("statement", 0),
                    CustomerNews::DisclosureWish => ("wish", 0),
                };
                context! { name, reference => reference.as_str(), kind_label => kind.label(), case_url => url(case_url), resumed, news, documents }
            }
            Letter::Withdrawn { name, reference, kind, reason } => {
                context! { name, reference => reference.as_str(), kind_label => kind.label(), reason }
            }
            Letter::Merged { name, reference, kind, earlier } => {
                context! { name, reference => reference.as_str(), kind_label => kind.label(), earlier => earlier.as_str() }
            }
            Letter::Rebuttal { name, reference, rebuttal } => {
                context! { name, reference => reference.as_str(), rebuttal }
            }
            Letter::AmendmentNotice { recipient, customer, reference, records_changed, partly } => {
                context! { name => recipient, customer, reference => reference.as_str(), records_changed, partly }
            }
        };
        // Where a customer without their first letter asks for the link again.
        let link_again = format!("{}{}", self.org.public_url.trim_end_matches('/'), app::pages::LINK_AGAIN);
        let medium = if by_post { "letter" } else { "email" };
        let values = context! {
            org => Org::from(&self.org), link_again_url => url(&link_again), medium, ..values
        };
        let template = letter.template();
        let failed = |part| move |source| WordingError { part, source };
        let subject = match wording {
            // A subject is a header: rendered without HTML escaping, on one line.
            Some(wording) => self
                .reworded
                .render_named_str("subject.txt", &wording.subject, context! { subject => &subject, ..values.clone() })
                .map_err(failed(Part::Subject))?
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            None => subject,
        };
        let values = context! { subject => &subject, ..values };
        let secrets = match letter {
            Letter::Receipt { tracking_url, verify_url, .. } => {
                std::iter::once(*tracking_url).chain(*verify_url).map(str::to_owned).collect()
            }
            Letter::Verification { verify_url, .. } => vec![(*verify_url).to_owned()],
            Letter::TrackingLink { tracking_url, .. } => vec![(*tracking_url).to_owned()],
            Letter::ConfirmRevocation { revoke_url, .. } => vec![(*revoke_url).to_owned()],
            Letter::ConfirmAction { confirm_url, .. } => vec![(*confirm_url).to_owned()],
            Letter::StaffInvite { welcome_url, .. } => vec![(*welcome_url).to_owned()],
            Letter::ClosedUnverified { .. }
            | Letter::CaseMessage { .. }
            | Letter::CustomerReplied { .. }
            | Letter::Withdrawn { .. }
            | Letter::Merged { .. }
            | Letter::Rebuttal { .. }
            | Letter::AwaitingCustomer { .. }
            | Letter::Extension { .. }
            | Letter::Outcome { .. }
            | Letter::CaseClosed { .. }
            | Letter::AmendmentNotice { .. }
            | Letter::Digest { .. } => Vec::new(),
        };
        let (text, html) = match wording {
            Some(wording) => (
                self.reworded
                    .render_named_str(&format!("{template}.txt"), &wording.text, &values)
                    .map_err(failed(Part::Text))?,
                self.reworded
                    .render_named_str(&format!("{template}.html"), &wording.html, &values)
                    .map_err(failed(Part::Html))?,
            ),
            None => (
                self.env
                    .get_template(&format!("{template}.txt"))
                    .and_then(|t| t.render(&values))
                    .map_err(failed(Part::Text))?,
                self.env
                    .get_template(&format!("{template}.html"))
                    .and_then(|t| t.render(&values))
                    .map_err(failed(Part::Html))?,
            ),
        };
        Ok(Composed { secrets, template, text, html, subject })
    }
}

#[derive(Serialize)]
struct Org<'a> {
    org_name: &'a str,
    org_address: &'a str,
    privacy_phone: &'a str,
    opt_out_phone: &'a str,
    privacy_contact: &'a str,
}

impl<'a> From<&'a SiteInfo> for Org<'a> {
    fn from(site: &'a SiteInfo) -> Self {
        Self {
            org_name: &site.org_name,
            org_address: &site.org_address,
            privacy_phone: &site.privacy_phone,
            opt_out_phone: &site.opt_out_phone,
            privacy_contact: &site.privacy_contact,
        }
    }
}

#[cfg(test)]
mod tests {
    use app::domain::ReferenceCode;

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
                verify_url: Some("https://privacy.example.com/verify/CONFIRM"),
                valid_hours: 72,
                answer_by: Some("24 January 2027".into()),
                agent: None,
                on_behalf_of: None,
            })
            .expect("composes")
    }

    #[test]
    fn a_receipt_names_the_request_and_carries_the_link_in_both_bodies() {
        let letters = Letters::new(SiteInfo::default());
        let mail = receipt(&letters, "Ada");
        assert_eq!(mail.subject, "We received your request PR-7K4M-9QXR: Amendment of your records");
        for body in [&mail.text, &mail.html] {
            assert!(body.contains("PR-7K4M-9QXR"));
            assert!(body.contains("https://privacy.example.com/track/TOKEN"));
            assert!(body.contains("https://privacy.example.com/verify/CONFIRM"), "one letter, both links");
            assert!(body.contains("confirm your email address"));
            assert!(body.contains("Example Medical Supply"));
            assert!(body.contains("1-800-555-0199"));
            assert!(body.contains("24 January 2027"));
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
