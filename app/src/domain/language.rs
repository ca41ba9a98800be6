//! The languages the portal speaks to customers, and which one a browser
//! prefers. Staff pages stay in English; a request records the language it
//! was made in, so that staff know which to answer in.

include!(concat!(env!("OUT_DIR"), "/languages.rs"));

impl Language {
    /// How staff name it, on the queue and the case.
    pub fn staff_label(self) -> &'static str {
        crate::text::language::staff_name(self)
    }

    /// How it names itself, on the switch to it.
    pub fn own_name(self) -> &'static str {
        crate::text::language::own_name(self)
    }

    /// The language a browser asks for first among those the portal
    /// speaks, from its `Accept-Language` header (RFC 9110 12.5.4): the
    /// highest weight wins, the earliest of equal weights; a tag matches
    /// by its primary subtag ("es-MX" is Spanish). English when none does.
    pub fn preferred(accept_language: &str) -> Self {
        let mut best: Option<(u16, Self)> = None;
        for range in accept_language.split(',') {
            let mut parts = range.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let weight =
                parts.filter_map(|parameter| parameter.trim().strip_prefix("q=")).find_map(weight).unwrap_or(1000);
            let primary = tag.split('-').next().unwrap_or_default().to_ascii_lowercase();
            let Some(language) = Self::parse(&primary) else { continue };
            if weight > 0 && best.is_none_or(|(held, _)| weight > held) {
                best = Some((weight, language));
            }
        }
        best.map_or(Self::En, |(_, language)| language)
    }
}

/// A quality value ("0.8", "1", "0.125") in thousandths; `None` when it is
/// not one.
fn weight(text: &str) -> Option<u16> {
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths: u16 = format!("{fraction:0<3}").parse().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_s_first_language_the_portal_speaks_wins() {
        assert_eq!(Language::preferred("es-MX,es;q=0.9,en-US;q=0.8,en;q=0.7"), Language::Es);
        assert_eq!(Language::preferred("en-US,en;q=0.9,es;q=0.8"), Language::En);
        assert_eq!(Language::preferred("fr-FR, es;q=0.5, en;q=0.4"), Language::Es, "French is not spoken");
        assert_eq!(Language::preferred("en;q=0.5, ES;q=0.9"), Language::Es, "by weight, in any case");
        assert_eq!(Language::preferred("es;q=0, en"), Language::En, "q=0 means not wanted");
        assert_eq!(Language::preferred(""), Language::En);
        assert_eq!(Language::preferred("es;q=2, en;q=abc"), Language::Es, "bad weights count as 1");
    }

    #[test]
    fn a_language_has_one_name_in_the_database_and_the_api() {
        for language in Language::ALL {
            assert_eq!(serde_json::to_string(language).unwrap(), format!("\"{}\"", language.as_str()));
        }
    }
}
