//! The template files shipped with the binary: English in
//! `server/templates/email`, each other language in a folder of its own
//! (`es/`) holding a twin of every customer letter under the same name.
//! Staff letters, and the notice to those a customer named, exist in
//! English only: their readers are the portal's own or third parties.
//! `build.rs` lists the files, and fails the build on a twin missing.

use app::domain::Language;
use minijinja::Environment;

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

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

const SHIPPED_PARSE: &str = "the email templates shipped with the binary parse";

/// Adds every shipped template, in every language, to `env`.
pub fn register(env: &mut Environment<'static>) {
    for (_, files) in SHIPPED {
        for (name, source) in *files {
            env.add_template(name, source).expect(SHIPPED_PARSE);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_the_pages_speak_has_its_letters() {
        for lang in Language::ALL {
            assert!(
                SHIPPED.iter().any(|(code, files)| *code == lang.as_str() && !files.is_empty()),
                "no letters in {}",
                lang.as_str()
            );
        }
        let spanish = SHIPPED.iter().find(|(code, _)| *code == "es").map(|(_, files)| *files).unwrap_or_default();
        assert!(spanish.iter().any(|(name, _)| *name == "es/receipt.txt"));
        assert!(!spanish.iter().any(|(name, _)| name.starts_with("es/digest")), "staff letters stay English");
    }
}
