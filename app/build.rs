//! Turns the translation files in `locales/` into Rust, so that a text is a
//! function call the compiler checks and a page cannot name a text that does
//! not exist. Each language is a folder (`locales/es/`) holding the same
//! files as `locales/en/`, with the same keys and the same `{placeholders}`;
//! the build fails on any key missing or left over, and on a placeholder one
//! language has and another lacks. The languages themselves are the folders,
//! so a third language is a folder of files, not a change to the code.
//!
//! Each file becomes a module and each key a function of the language, so
//! the WebAssembly carries only the texts its islands call.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// The language every other is checked against, and the default.
const REFERENCE: &str = "en";

type Texts = BTreeMap<String, String>;

fn main() {
    // Read when the script runs, not when it is compiled: one compiled
    // script may serve two checkouts of the crate that share a target folder.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut languages: Vec<String> = fs::read_dir(&root)
        .expect("app/locales exists")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    languages.sort_by_key(|code| (code != REFERENCE, code.clone()));
    assert_eq!(languages.first().map(String::as_str), Some(REFERENCE), "app/locales/{REFERENCE} is the reference");

    let mut groups: BTreeMap<String, BTreeMap<String, Texts>> = BTreeMap::new();
    let mut problems = Vec::new();
    for code in &languages {
        let folder = root.join(code);
        println!("cargo:rerun-if-changed={}", folder.display());
        for entry in fs::read_dir(&folder).expect("a language folder reads").filter_map(|e| e.ok()) {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let group = path.file_stem().expect("a file name").to_string_lossy().into_owned();
            let source = fs::read_to_string(&path).expect("a translation file reads");
            let table: toml::Table = toml::from_str(&source).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut texts = Texts::new();
            flatten("", &table, &mut texts, &path);
            groups.entry(group).or_default().insert(code.clone(), texts);
        }
    }

    let mut out = String::new();
    let variants: Vec<String> = languages.iter().map(|code| variant(code)).collect();
    writeln!(out, "named_enum! {{").unwrap();
    writeln!(out, "    /// A language customers are answered in: one per folder of `app/locales`.").unwrap();
    writeln!(out, "    Language {{").unwrap();
    for (code, variant) in languages.iter().zip(&variants) {
        writeln!(out, "        {variant} => {code:?},").unwrap();
    }
    writeln!(out, "    }}\n}}").unwrap();
    let languages_file = std::mem::take(&mut out);

    for (group, by_language) in &groups {
        let Some(reference) = by_language.get(REFERENCE) else {
            problems.push(format!("locales/{REFERENCE}/{group}.toml is missing"));
            continue;
        };
        for code in &languages {
            let Some(texts) = by_language.get(code) else {
                problems.push(format!("locales/{code}/{group}.toml is missing"));
                continue;
            };
            for key in reference.keys().filter(|k| !texts.contains_key(*k)) {
                problems.push(format!("locales/{code}/{group}.toml lacks `{key}`"));
            }
            for key in texts.keys().filter(|k| !reference.contains_key(*k)) {
                problems.push(format!("locales/{code}/{group}.toml has `{key}`, which {REFERENCE} has not"));
            }
            for (key, text) in texts {
                if let Some(english) = reference.get(key)
                    && sorted(placeholders(english)) != sorted(placeholders(text))
                {
                    problems.push(format!("locales/{code}/{group}.toml `{key}`: placeholders differ from {REFERENCE}"));
                }
            }
        }
        writeln!(out, "    pub mod {group} {{").unwrap();
        writeln!(out, "        use crate::domain::Language;").unwrap();
        for (key, english) in reference {
            let args = placeholders(english);
            let params: String = args.iter().map(|a| format!(", {a}: &str")).collect();
            let returns = if args.is_empty() { "&'static str" } else { "String" };
            writeln!(out, "        /// {}", english.lines().next().unwrap_or_default()).unwrap();
            writeln!(out, "        pub fn {key}(lang: Language{params}) -> {returns} {{").unwrap();
            let binding = if args.is_empty() { "" } else { "let text = " };
            writeln!(out, "            {binding}match lang {{").unwrap();
            for (code, variant) in languages.iter().zip(&variants) {
                let text = by_language.get(code).and_then(|t| t.get(key)).unwrap_or(english);
                writeln!(out, "                Language::{variant} => {text:?},").unwrap();
            }
            if args.is_empty() {
                writeln!(out, "            }}").unwrap();
            } else {
                let pairs: Vec<String> = args.iter().map(|a| format!("({a:?}, {a})")).collect();
                writeln!(out, "            }};").unwrap();
                writeln!(out, "            super::fill(text, &[{}])", pairs.join(", ")).unwrap();
            }
            writeln!(out, "        }}").unwrap();
        }
        writeln!(out, "    }}").unwrap();
    }

    if !problems.is_empty() {
        panic!("the translations do not match:\n  {}", problems.join("\n  "));
    }
    let target = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).to_owned();
    fs::write(target.join("languages.rs"), languages_file).expect("the languages are written");
    fs::write(target.join("text.rs"), out).expect("the generated texts are written");
}

/// Every text of `table` under its key; a nested table's keys are joined to
/// its own with `_` (`[agent] name` is `agent_name`).
fn flatten(prefix: &str, table: &toml::Table, out: &mut Texts, path: &Path) {
    for (key, value) in table {
        let key = if prefix.is_empty() { key.clone() } else { format!("{prefix}_{key}") };
        assert!(
            key.starts_with(|c: char| c.is_ascii_lowercase())
                && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !KEYWORDS.contains(&key.as_str()),
            "{}: `{key}` is not a name a function can have",
            path.display()
        );
        match value {
            toml::Value::String(text) => {
                out.insert(key, text.clone());
            }
            toml::Value::Table(inner) => flatten(&key, inner, out, path),
            other => panic!("{}: `{key}` is {}, not text", path.display(), other.type_str()),
        }
    }
}

/// The Rust words a key cannot be.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
    "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do",
    "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// The `{name}`s of a text, in order of first appearance.
fn placeholders(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        let name = &rest[open + 1..open + close];
        if !name.is_empty()
            && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            && !names.iter().any(|n| n == name)
        {
            names.push(name.to_owned());
        }
        rest = &rest[open + close + 1..];
    }
    names
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

/// `es` as an enum variant: `Es`.
fn variant(code: &str) -> String {
    let mut chars = code.chars();
    chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}
