//! What each customer letter must keep saying, however an administrator
//! rewords it: the request's reference, every link the default letter
//! carries, and what the rules require of the letter (the parts of the
//! HIPAA denial letter, 45 CFR 164.526(d)(1)). Checked on the letter as
//! rendered for the sample request, in both its plain-text and HTML forms,
//! so a part is found however the template spells it. A letter in another
//! language is held to the same parts, found by that language's words.

use app::domain::request::Choice;
use app::domain::workflow::DenialGround;
use app::domain::{Language, SiteInfo};

use super::Composed;
use super::letters::Part;
use super::samples;

/// One thing a letter must say: it is said when every group of
/// alternatives has one of them in the letter.
struct Requirement {
    what: &'static str,
    all_of: Vec<Vec<String>>,
    /// A link counts in the HTML letter's markup too: in a button's `href`
    /// it is there without being shown as text.
    link: bool,
}

impl Requirement {
    fn new(what: &'static str, all_of: &[&[&str]]) -> Self {
        let all_of = all_of.iter().map(|any| any.iter().map(|s| (*s).to_owned()).collect()).collect();
        Self { what, all_of, link: false }
    }

    fn said_in(&self, body: &str, part: Part) -> bool {
        let shown = match part {
            Part::Html => plain(&strip_tags(body)),
            Part::Text | Part::Subject => plain(body),
        };
        let markup = (self.link && part == Part::Html).then(|| plain(body));
        let has = |needle: &String| {
            let needle = plain(needle);
            shown.contains(&needle) || markup.as_ref().is_some_and(|markup| markup.contains(&needle))
        };
        self.all_of.iter().all(|any| any.iter().any(has))
    }
}

/// The words by which a letter in `lang` says a part the rules require.
struct Words {
    statement: &'static str,
    disagree: &'static str,
    future_disclosure: &'static str,
    appeal: &'static str,
    hhs: &'static str,
    attorney_general: &'static str,
}

fn words(lang: Language) -> Words {
    use app::text::letters;
    Words {
        statement: letters::required_statement(lang),
        disagree: letters::required_disagree(lang),
        future_disclosure: letters::required_future_disclosure(lang),
        appeal: letters::required_appeal(lang),
        hhs: letters::required_hhs(lang),
        attorney_general: letters::required_attorney_general(lang),
    }
}

/// What the rules require of `letter` in `lang`, beyond its reference and
/// links.
fn rules_for(letter: &str, lang: Language, org: &SiteInfo) -> Vec<Requirement> {
    let words = words(lang);
    match letter {
        "amendment_denied" => vec![
            Requirement::new(
                "the basis for the denial: its ground and the explanation staff wrote ({{ ground }} and {{ explanation }})",
                &[&[DenialGround::AccurateAndComplete.label_in(lang)], &[samples::EXPLANATION]],
            ),
            Requirement::new(
                "the customer's right to submit a written statement disagreeing with the denial, and how",
                &[&[words.statement], &[words.disagree]],
            ),
            Requirement::new(
                "that without a statement the customer may ask for the request and the denial to go with future \
                 disclosures",
                &[&[words.future_disclosure]],
            ),
            Requirement::new(
                "how to complain to us: the privacy contact's name or title and phone number",
                &[&[&org.privacy_contact], &[&org.privacy_phone]],
            ),
            Requirement::new(
                "where a state law gives one, the customer's right to appeal the decision, and how",
                &[&[words.appeal]],
            ),
            Requirement::new(
                "how to complain to the Secretary of Health and Human Services",
                &[&[words.hhs, "hhs.gov"]],
            ),
        ],
        "amendment_accepted" | "amendment_notice" => {
            vec![Requirement::new("which records were changed ({{ records_changed }})", &[&[samples::RECORDS_CHANGED]])]
        }
        "extension" => vec![Requirement::new(
            "the reason for the extension and the new date ({{ reason }} and {{ new_date }})",
            &[&[samples::REASON], &[&samples::new_date(lang)]],
        )],
        "opt_out_applied" => {
            vec![Requirement::new(
                "the day the opt-out took effect ({{ effective_on }})",
                &[&[&samples::effective_on(lang)]],
            )]
        }
        "appeal_granted" => vec![Requirement::new("what we now do ({{ decision }})", &[&[samples::DECISION]])],
        "appeal_denied" => vec![
            Requirement::new("why the refusal stands ({{ explanation }})", &[&[samples::EXPLANATION]]),
            Requirement::new(
                "how to complain to the state Attorney General ({{ attorneys_general }})",
                &[&[words.attorney_general], &[samples::ATTORNEY_GENERAL]],
            ),
        ],
        "complaint_resolved" => {
            vec![Requirement::new("how the complaint was resolved ({{ resolution }})", &[&[samples::RESOLUTION]])]
        }
        "awaiting_customer" => {
            vec![Requirement::new("what the customer is asked to send ({{ what }})", &[&[samples::WHAT]])]
        }
        "case_message" => vec![Requirement::new("the message staff wrote ({{ body }})", &[&[samples::MESSAGE]])],
        "case_closed" => vec![Requirement::new("the note on why it was closed ({{ note }})", &[&[samples::NOTE]])],
        _ => Vec::new(),
    }
}

/// Everything `letter` in `lang` must say: its reference, each link
/// `default` (the letter in its default words) carries, and its rules.
fn requirements(letter: &str, lang: Language, org: &SiteInfo, default: &Composed) -> Vec<Requirement> {
    let mut all = vec![Requirement::new("the request's reference ({{ reference }})", &[&[samples::REFERENCE]])];
    let link_again = format!("{}{}", org.public_url.trim_end_matches('/'), app::pages::LINK_AGAIN);
    for (link, what) in [
        (samples::TRACKING_URL, "the private tracking link"),
        (samples::ACTION_URL, "the link the customer follows to confirm"),
        (link_again.as_str(), "the address where a customer asks for their link again"),
    ] {
        if default.text.contains(link) && default.html.contains(link) {
            all.push(Requirement { what, all_of: vec![vec![link.to_owned()]], link: true });
        }
    }
    all.extend(rules_for(letter, lang, org));
    all
}

/// What the editor lists as required of `letter` in `lang`.
pub fn described(letter: &str, lang: Language, org: &SiteInfo, default: &Composed) -> Vec<String> {
    requirements(letter, lang, org, default).into_iter().map(|r| r.what.to_owned()).collect()
}

/// What `candidate` (the letter in new words, on the sample) no longer
/// says, by part: one message for each part that falls short.
pub fn shortfalls(
    letter: &str,
    lang: Language,
    org: &SiteInfo,
    default: &Composed,
    candidate: &Composed,
) -> Vec<(Part, String)> {
    let required = requirements(letter, lang, org, default);
    [(Part::Text, "The plain-text letter", &candidate.text), (Part::Html, "The HTML letter", &candidate.html)]
        .into_iter()
        .filter_map(|(part, name, body)| {
            let missing: Vec<&str> = required.iter().filter(|r| !r.said_in(body, part)).map(|r| r.what).collect();
            (!missing.is_empty()).then(|| (part, format!("{name} must still say {}.", missing.join("; and "))))
        })
        .collect()
}

/// Text as a reader takes it: entities decoded, one space between words,
/// any case.
fn plain(text: &str) -> String {
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The text of an HTML letter, each tag read as a space.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::Letters;
    use crate::mail::samples::Sample;
    use crate::mail::wording::EDITABLE;

    #[test]
    fn every_default_letter_renders_as_a_saved_wording_and_says_what_it_must_in_each_language() {
        let org = SiteInfo::default();
        let letters = Letters::new(org.clone());
        for &lang in Language::ALL {
            let sample = Sample::new(lang);
            for (letter, _) in EDITABLE {
                let lang = crate::mail::templates::written_in(letter, lang);
                let on_sample = sample.letter(letter).expect("a sample of every editable letter");
                let default = letters.compose_with(&on_sample, lang, false, None).expect("the default renders");
                let wording = letters.default_wording(letter, lang).expect("default words");
                let reworded = letters
                    .compose_with(&on_sample, lang, false, Some(&wording))
                    .unwrap_or_else(|error| panic!("{letter} ({lang:?}): {error}"));
                assert_eq!(reworded, default, "{letter} ({lang:?}): its default words, saved, write the same letter");
                assert_eq!(shortfalls(letter, lang, &org, &default, &reworded), Vec::new(), "{letter} ({lang:?})");
            }
        }
    }

    #[test]
    fn a_denial_that_drops_how_to_complain_to_hhs_falls_short_in_that_part() {
        let org = SiteInfo::default();
        let letters = Letters::new(org.clone());
        let sample = Sample::new(Language::En);
        let on_sample = sample.letter("amendment_denied").expect("a sample");
        let default = letters.compose_with(&on_sample, Language::En, false, None).expect("renders");
        let mut wording = letters.default_wording("amendment_denied", Language::En).expect("default words");
        let hhs = wording.html.lines().find(|line| line.contains("Health and Human Services")).expect("a line");
        wording.html = wording.html.replace(hhs, "");
        let candidate = letters.compose_with(&on_sample, Language::En, false, Some(&wording)).expect("renders");
        let short = shortfalls("amendment_denied", Language::En, &org, &default, &candidate);
        assert_eq!(short.len(), 1, "{short:?}");
        assert_eq!(short[0].0, Part::Html);
        assert!(short[0].1.contains("Secretary of Health and Human Services"), "{}", short[0].1);
    }

    #[test]
    fn a_link_in_a_button_counts_but_a_dropped_one_does_not() {
        let org = SiteInfo::default();
        let letters = Letters::new(org.clone());
        let sample = Sample::new(Language::En);
        let on_sample = sample.letter("tracking_link").expect("a sample");
        let default = letters.compose_with(&on_sample, Language::En, false, None).expect("renders");
        let mut wording = letters.default_wording("tracking_link", Language::En).expect("default words");
        wording.html = "{% extends \"base.html\" %}{% block content %}<p>{{ reference }}</p>\
                        <a href=\"{{ tracking_url }}\">Open</a> <a href=\"{{ link_again_url }}\">Again</a>{% endblock %}"
            .to_owned();
        let linked = letters.compose_with(&on_sample, Language::En, false, Some(&wording)).expect("renders");
        assert_eq!(shortfalls("tracking_link", Language::En, &org, &default, &linked), Vec::new());
        wording.html = wording.html.replace("{{ tracking_url }}", "#");
        let unlinked = letters.compose_with(&on_sample, Language::En, false, Some(&wording)).expect("renders");
        assert_eq!(shortfalls("tracking_link", Language::En, &org, &default, &unlinked).len(), 1);
    }

    #[test]
    fn a_spanish_denial_that_drops_the_right_to_disagree_falls_short_by_the_spanish_words() {
        let org = SiteInfo::default();
        let letters = Letters::new(org.clone());
        let sample = Sample::new(Language::Es);
        let on_sample = sample.letter("amendment_denied").expect("a sample");
        let default = letters.compose_with(&on_sample, Language::Es, false, None).expect("renders");
        let mut wording = letters.default_wording("amendment_denied", Language::Es).expect("default words");
        wording.text = wording.text.replace("desacuerdo", "").replace("DESACUERDO", "");
        let candidate = letters.compose_with(&on_sample, Language::Es, false, Some(&wording)).expect("renders");
        let short = shortfalls("amendment_denied", Language::Es, &org, &default, &candidate);
        assert_eq!(short.len(), 1, "{short:?}");
        assert_eq!(short[0].0, Part::Text);
        assert!(short[0].1.contains("statement disagreeing"), "{}", short[0].1);
    }
}
