//! Composing letters from the template files in `server/templates/email`,
//! each customer letter in the language its request was made in. HTML
//! templates escape every value; plain-text templates need no escaping.

use app::domain::staff_forms::LetterPreview;
use app::domain::{Language, SiteInfo};
use minijinja::{Environment, Value, context};
use serde::Serialize;

use super::letter::Letter;
use super::templates::{self, name};
use super::values;
use super::wording::{DEFAULT_SUBJECT, InForce, Wording};

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
        templates::register(&mut env);
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

    /// The default wording of `letter` in `lang`, from the template files.
    pub fn default_wording(&self, letter: &str, lang: Language) -> Option<Wording> {
        let source = |extension: &str| {
            self.env.get_template(&name(lang, letter, extension)).ok().and_then(|t| t.source().to_owned().into())
        };
        Some(Wording { subject: DEFAULT_SUBJECT.to_owned(), text: source("txt")?, html: source("html")? })
    }

    /// Composes `letter` about a request made in `lang`: a customer's
    /// letter is written in it, staff letters in English.
    pub fn compose(&self, letter: &Letter<'_>, lang: Language) -> Result<Composed, minijinja::Error> {
        self.compose_for(letter, false, lang)
    }

    /// Composes a letter that goes `by_post` (printed from the print queue)
    /// or by email: the letter then calls itself a letter, not an email.
    pub fn compose_for(
        &self,
        letter: &Letter<'_>,
        by_post: bool,
        lang: Language,
    ) -> Result<Composed, minijinja::Error> {
        let lang = templates::written_in(letter.template(), lang);
        if let Some(wording) = self.wording.get(letter.template(), lang) {
            match self.compose_with(letter, lang, by_post, Some(&wording)) {
                Ok(composed) => return Ok(composed),
                // A saved wording rendered on its sample when it was saved;
                // should it fail on a real request, the letter still goes,
                // in the default words, and the log says why.
                Err(error) => {
                    tracing::error!(letter = letter.template(), %error, "saved wording failed; default used");
                }
            }
        }
        self.compose_with(letter, lang, by_post, None).map_err(|error| error.source)
    }

    /// Composes `letter` in `lang` from `wording`, or from the template
    /// files when `None`; an error names the part of the wording it is in.
    pub fn compose_with(
        &self,
        letter: &Letter<'_>,
        lang: Language,
        by_post: bool,
        wording: Option<&Wording>,
    ) -> Result<Composed, WordingError> {
        let subject = letter.subject(lang);
        let values = values::of(letter, lang);
        // Where a customer without their first letter asks for the link again.
        let link_again = format!("{}{}", self.org.public_url.trim_end_matches('/'), app::pages::LINK_AGAIN);
        let link_again_url = Value::from_safe_string(link_again);
        let medium =
            if by_post { app::text::letters::medium_letter(lang) } else { app::text::letters::medium_email(lang) };
        // Where the words for "this letter" and "this email" differ in more
        // than the noun (Spanish: "esta carta", "este correo"), a template
        // says which by `by_post`.
        let values = context! { org => Org::from(&self.org), link_again_url, medium, by_post, ..values };
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
        let secrets = values::secrets(letter);
        let (text, html) = match wording {
            Some(wording) => (
                self.reworded
                    .render_named_str(&name(lang, template, "txt"), &wording.text, &values)
                    .map_err(failed(Part::Text))?,
                self.reworded
                    .render_named_str(&name(lang, template, "html"), &wording.html, &values)
                    .map_err(failed(Part::Html))?,
            ),
            None => (
                self.env
                    .get_template(&name(lang, template, "txt"))
                    .and_then(|t| t.render(&values))
                    .map_err(failed(Part::Text))?,
                self.env
                    .get_template(&name(lang, template, "html"))
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
    use crate::mail::samples::Sample;
    use crate::mail::wording::EDITABLE;

    fn receipt(letters: &Letters, name: &str, lang: Language) -> Composed {
        let reference = ReferenceCode::parse("PR-7K4M-9QXR").expect("valid");
        letters
            .compose(
                &Letter::Receipt {
                    name,
                    reference: &reference,
                    kind: app::domain::RequestKind::Amendment,
                    summary: "Amend insurance information",
                    received_on: "25 November 2026".into(),
                    tracking_url: "https://privacy.example.com/track/TOKEN",
                    verify_url: Some("https://privacy.example.com/verify/CONFIRM"),
                    valid_hours: 72,
                    answer_by: Some("24 January 2027".into()),
                    agent: None,
                    on_behalf_of: None,
                },
                lang,
            )
            .expect("composes")
    }

    #[test]
    fn a_receipt_names_the_request_and_carries_the_link_in_both_bodies() {
        let letters = Letters::new(SiteInfo::default());
        let mail = receipt(&letters, "Ada", Language::En);
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
        for (lang, greeting) in
            [(Language::En, "Dear <b>Ada</b> & co,"), (Language::Es, "Estimado(a) <b>Ada</b> & co:")]
        {
            let mail = receipt(&letters, "<b>Ada</b> & co", lang);
            assert!(mail.html.contains("&lt;b&gt;Ada&lt;&#x2f;b&gt; &amp; co"), "{}", mail.html);
            assert!(!mail.html.contains("<b>Ada"));
            assert!(mail.text.contains(greeting), "{}", mail.text);
        }
    }

    /// Every customer letter on the sample request, with the letters no
    /// administrator rewords (the merge and the rebuttal) beside them.
    fn every_customer_letter(sample: &Sample, check: &mut dyn FnMut(&str, &Letter<'_>)) {
        let reference = ReferenceCode::parse(crate::mail::samples::REFERENCE).expect("valid");
        let earlier = ReferenceCode::parse(crate::mail::samples::APPEAL_OF).expect("valid");
        for (letter, _) in EDITABLE.iter().filter(|(letter, _)| !templates::ENGLISH_ONLY.contains(letter)) {
            check(letter, &sample.letter(letter).expect("a sample"));
        }
        let kind = app::domain::RequestKind::Complaint;
        check("merged", &Letter::Merged { name: "Ana", reference: &reference, kind, earlier: &earlier });
        check("rebuttal", &Letter::Rebuttal { name: "Ana", reference: &reference, rebuttal: "Nuestra respuesta." });
    }

    /// What the sample request's staff and customer typed, in English: not
    /// the letter's own words.
    const TYPED: &[&str] = &[
        crate::mail::samples::EXPLANATION,
        crate::mail::samples::RECORDS_CHANGED,
        crate::mail::samples::REASON,
        crate::mail::samples::RESOLUTION,
        crate::mail::samples::WHAT,
        crate::mail::samples::NOTE,
        crate::mail::samples::MESSAGE,
        crate::mail::samples::DECISION,
        crate::mail::samples::ATTORNEY_GENERAL,
        "The plan name was already right.",
        "Amend insurance information",
        "I sorted it out by phone.",
        "Dr Joan Okafor",
        "100 Main Street, Springfield, IL 62701",
        "Privacy Officer",
    ];

    #[test]
    fn every_customer_letter_renders_in_every_language_and_the_spanish_has_no_english_left() {
        let letters = Letters::new(SiteInfo::default());
        for &lang in Language::ALL {
            every_customer_letter(&Sample::new(lang), &mut |name, letter| {
                for by_post in [false, true] {
                    let mail = letters
                        .compose_for(letter, by_post, lang)
                        .unwrap_or_else(|error| panic!("{name} ({lang:?}): {error}"));
                    if lang != Language::Es {
                        continue;
                    }
                    for body in [&mail.subject, &mail.text, &mail.html] {
                        let read = body.replace("&#x27;", "'").replace("&#x2f;", "/").replace("&amp;", "&");
                        let ours = TYPED.iter().fold(read, |body, typed| body.replace(typed, ""));
                        let ours = ours.to_lowercase();
                        for english in [" the ", "your", "dear ", " we ", " you ", "please", "request "] {
                            assert!(!ours.contains(english), "{name} (by post: {by_post}) says {english:?}:\n{ours}");
                        }
                    }
                    assert!(mail.html.contains("<html lang=\"es\">"), "{name}");
                }
            });
        }
    }

    #[test]
    fn a_spanish_letter_has_a_spanish_subject_and_spanish_dates() {
        let letters = Letters::new(SiteInfo::default());
        let sample = Sample::new(Language::Es);
        let opted_out =
            letters.compose(&sample.letter("opt_out_applied").expect("a sample"), Language::Es).expect("composes");
        assert_eq!(opted_out.subject, "Exclusión voluntaria aplicada: solicitud PR-7K4M-9QXR");
        assert!(opted_out.text.contains("entró en vigor el 7 de diciembre de 2026"), "{}", opted_out.text);
        let denied =
            letters.compose(&sample.letter("amendment_denied").expect("a sample"), Language::Es).expect("composes");
        for part in
            ["declaración", "desacuerdo", "divulgación futura", "Salud y Servicios Humanos", "1-800-368-1019", "apelar"]
        {
            assert!(denied.text.contains(part), "{part}");
        }
    }

    #[test]
    fn staff_letters_and_the_notice_to_those_named_stay_english() {
        let letters = Letters::new(SiteInfo::default());
        let sample = Sample::new(Language::Es);
        let notice =
            letters.compose(&sample.letter("amendment_notice").expect("a sample"), Language::Es).expect("composes");
        assert!(notice.subject.starts_with("Notice of an amended record"), "{}", notice.subject);
        assert!(notice.html.contains("<html lang=\"en\">"));
    }
}
