//! Ships the email templates of every language the portal speaks. The
//! languages are the folders of `app/locales`; English letters are the files
//! of `templates/email`, and each other language is a folder of its own
//! (`templates/email/es/`) with a twin of every customer letter. The build
//! fails on a twin missing or left over, so a third language is a folder of
//! translated files here and in `app/locales`, not a change to the code.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Letters whose readers are staff or third parties: English only.
const ENGLISH_ONLY: &[&str] = &["staff_invite", "digest", "customer_replied", "amendment_notice"];

/// Frames without a word to translate, which every language shares.
const SHARED: &[&str] = &["reference.html"];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let email = manifest.join("templates/email");
    let locales = manifest.join("../app/locales");
    println!("cargo:rerun-if-changed={}", email.display());
    println!("cargo:rerun-if-changed={}", locales.display());

    let english = files(&email);
    let mut languages: Vec<String> = fs::read_dir(&locales)
        .expect("app/locales reads")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|code| code != "en")
        .collect();
    languages.sort();

    let mut problems = Vec::new();
    let mut out = String::new();
    writeln!(out, "/// Letters whose readers are staff or third parties: English only.").unwrap();
    writeln!(out, "pub const ENGLISH_ONLY: &[&str] = &{ENGLISH_ONLY:?};\n").unwrap();
    writeln!(out, "/// Every template file shipped, by language: (the name it is registered under, its source).")
        .unwrap();
    writeln!(out, "const SHIPPED: &[(&str, &[(&str, &str)])] = &[").unwrap();
    write_set(&mut out, "en", "", &email, &english);
    for code in &languages {
        let folder = email.join(code);
        let twins = if folder.is_dir() { files(&folder) } else { Vec::new() };
        for file in english.iter().filter(|file| translated(file)) {
            if !twins.contains(file) {
                problems.push(format!("templates/email/{code}/{file} is missing"));
            }
        }
        for twin in twins.iter().filter(|twin| !english.contains(twin) || !translated(twin)) {
            problems.push(format!("templates/email/{code}/{twin} is no English customer letter's twin"));
        }
        write_set(&mut out, code, &format!("{code}/"), &folder, &twins);
    }
    writeln!(out, "];").unwrap();

    if !problems.is_empty() {
        panic!("the letters' translations do not match:\n  {}", problems.join("\n  "));
    }
    let target = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("templates.rs");
    fs::write(target, out).expect("the template list is written");
}

/// Whether a file of the English folder has a twin in every language.
fn translated(file: &str) -> bool {
    let letter = file.split('.').next().unwrap_or_default();
    !ENGLISH_ONLY.contains(&letter) && !SHARED.contains(&file)
}

fn write_set(out: &mut String, code: &str, prefix: &str, folder: &Path, names: &[String]) {
    writeln!(out, "    ({code:?}, &[").unwrap();
    for name in names {
        let path = folder.join(name);
        writeln!(out, "        ({:?}, include_str!({:?})),", format!("{prefix}{name}"), path.display().to_string())
            .unwrap();
    }
    writeln!(out, "    ]),").unwrap();
}

/// The template files (`.txt`, `.html`) directly in `folder`, by name.
fn files(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .expect("a template folder reads")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".txt") || name.ends_with(".html"))
        .collect();
    names.sort();
    names
}
