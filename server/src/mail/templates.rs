//! The template files shipped with the binary: English in
//! `server/templates/email`, each other language in a folder of its own
//! (`es/`) holding a twin of every customer letter under the same name.
//! Staff letters, and the notice to those a customer named, exist in
//! English only: their readers are the portal's own or third parties.

use app::domain::Language;
use minijinja::Environment;

macro_rules! letter {
    ($folder:literal, $name:literal) => {
        (
            $name,
            include_str!(concat!("../../templates/email/", $folder, $name, ".txt")),
            include_str!(concat!("../../templates/email/", $folder, $name, ".html")),
        )
    };
}

macro_rules! part {
    ($folder:literal, $file:literal) => {
        ($file, include_str!(concat!("../../templates/email/", $folder, $file)))
    };
}

/// One language's templates: the frames and parts letters extend or
/// include, and the letters, each by name with its text and HTML.
struct Set {
    parts: &'static [(&'static str, &'static str)],
    letters: &'static [(&'static str, &'static str, &'static str)],
}

/// Letters whose readers are staff or third parties: English only.
pub const ENGLISH_ONLY: &[&str] = &["staff_invite", "digest", "customer_replied", "amendment_notice"];

const ENGLISH: Set = Set {
    parts: &[
        part!("", "base.txt"),
        part!("", "base.html"),
        part!("", "reference.html"),
        part!("", "appeal_section.txt"),
        part!("", "appeal_section.html"),
    ],
    letters: &[
        letter!("", "receipt"),
        letter!("", "verification"),
        letter!("", "tracking_link"),
        letter!("", "confirm_revocation"),
        letter!("", "closed_unverified"),
        letter!("", "staff_invite"),
        letter!("", "case_message"),
        letter!("", "awaiting_customer"),
        letter!("", "extension"),
        letter!("", "opt_out_applied"),
        letter!("", "amendment_accepted"),
        letter!("", "amendment_denied"),
        letter!("", "amendment_notice"),
        letter!("", "complaint_resolved"),
        letter!("", "case_closed"),
        letter!("", "digest"),
        letter!("", "customer_replied"),
        letter!("", "withdrawn"),
        letter!("", "confirm_action"),
        letter!("", "merged"),
        letter!("", "rebuttal"),
        letter!("", "appeal_granted"),
        letter!("", "appeal_denied"),
    ],
};

const SPANISH: Set = Set {
    parts: &[
        part!("es/", "base.txt"),
        part!("es/", "base.html"),
        part!("es/", "appeal_section.txt"),
        part!("es/", "appeal_section.html"),
    ],
    letters: &[
        letter!("es/", "receipt"),
        letter!("es/", "verification"),
        letter!("es/", "tracking_link"),
        letter!("es/", "confirm_revocation"),
        letter!("es/", "closed_unverified"),
        letter!("es/", "case_message"),
        letter!("es/", "awaiting_customer"),
        letter!("es/", "extension"),
        letter!("es/", "opt_out_applied"),
        letter!("es/", "amendment_accepted"),
        letter!("es/", "amendment_denied"),
        letter!("es/", "complaint_resolved"),
        letter!("es/", "case_closed"),
        letter!("es/", "withdrawn"),
        letter!("es/", "confirm_action"),
        letter!("es/", "merged"),
        letter!("es/", "rebuttal"),
        letter!("es/", "appeal_granted"),
        letter!("es/", "appeal_denied"),
    ],
};

/// A new language folder in `app/locales` stops the build here until its
/// letters are written.
fn set(lang: Language) -> &'static Set {
    match lang {
        Language::En => &ENGLISH,
        Language::Es => &SPANISH,
    }
}

/// The language `letter` is written in for a request made in `lang`.
pub fn written_in(letter: &str, lang: Language) -> Language {
    if ENGLISH_ONLY.contains(&letter) { Language::En } else { lang }
}

/// The name a template file is registered under: English ones by their
/// file name ("receipt.txt"), others under their folder ("es/receipt.txt"),
/// as the templates themselves extend and include them.
pub fn name(lang: Language, template: &str, extension: &str) -> String {
    match lang {
        Language::En => format!("{template}.{extension}"),
        other => format!("{}/{template}.{extension}", other.as_str()),
    }
}

const SHIPPED: &str = "the email templates shipped with the binary parse";

/// Adds every shipped template, in every language, to `env`.
pub fn register(env: &mut Environment<'static>) {
    for &lang in Language::ALL {
        let set = set(lang);
        for (file, source) in set.parts {
            let (template, extension) = file.rsplit_once('.').expect("a part's file has an extension");
            env.add_template_owned(name(lang, template, extension), *source).expect(SHIPPED);
        }
        for (letter, text, html) in set.letters {
            env.add_template_owned(name(lang, letter, "txt"), *text).expect(SHIPPED);
            env.add_template_owned(name(lang, letter, "html"), *html).expect(SHIPPED);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files in `folder` of the template directory, by name.
    fn files(folder: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/email").join(folder);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("the template folder reads")
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.path().is_file())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_english_customer_template_has_a_twin_in_every_language() {
        // The reference is the one frame without a word to translate.
        let shared = ["reference.html"];
        for &lang in Language::ALL.iter().filter(|&&lang| lang != Language::En) {
            let twins = files(lang.as_str());
            for file in files("") {
                let template = file.split('.').next().unwrap_or_default();
                if ENGLISH_ONLY.contains(&template) || shared.contains(&file.as_str()) {
                    continue;
                }
                assert!(twins.contains(&file), "{file} has no twin in templates/email/{}", lang.as_str());
            }
            for twin in &twins {
                assert!(files("").contains(twin), "{}/{twin} is no English template's twin", lang.as_str());
            }
            let shipped: Vec<String> = set(lang)
                .parts
                .iter()
                .map(|(file, _)| (*file).to_owned())
                .chain(set(lang).letters.iter().flat_map(|(name, ..)| [format!("{name}.txt"), format!("{name}.html")]))
                .collect();
            for twin in &twins {
                assert!(shipped.contains(twin), "{}/{twin} is written but not shipped", lang.as_str());
            }
        }
    }
}
