//! How the portal presents itself: its name, accent colour and contact address, as an admin
//! types them and as every page and email uses them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::email::normalise_email;
use crate::error::FieldErrors;
use crate::translated::{self, Translations};

pub const NAME_MAX_CHARS: usize = 60;
pub const DEFAULT_ACCENT: &str = "#1f5f8b";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    pub portal_name: String,
    /// `#rrggbb`, lower case.
    pub accent: String,
    /// Shown at the foot of every email; empty for none.
    #[serde(default)]
    pub contact_email: String,
    /// The language of pages for visitors whose browser asks for none Portico speaks, and of
    /// emails to people who have not chosen one; empty for the first spoken language.
    #[serde(default)]
    pub default_language: String,
    /// The portal's name in other languages, by tag.
    #[serde(default)]
    pub portal_name_translations: Translations,
}

impl Branding {
    /// The portal's name in `language`, else its default name.
    pub fn name_in(&self, language: &str) -> &str {
        translated::pick(&self.portal_name, &self.portal_name_translations, language)
    }

    /// The branding before an admin changes it: the configured name and the house colour.
    pub fn initial(portal_name: &str) -> Self {
        Self {
            portal_name: portal_name.to_string(),
            accent: DEFAULT_ACCENT.to_string(),
            contact_email: String::new(),
            default_language: String::new(),
            portal_name_translations: Translations::new(),
        }
    }
}

/// What the settings form sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandingInput {
    #[serde(default)]
    pub portal_name: String,
    #[serde(default)]
    pub accent: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub default_language: String,
    #[serde(default)]
    pub portal_name_translations: BTreeMap<String, String>,
}

impl BrandingInput {
    /// The branding, or what is wrong with each field. `spoken`: the languages Portico speaks.
    pub fn check(&self, spoken: &[&str]) -> Result<Branding, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = self.portal_name.trim();
        if name.is_empty() {
            errors.add("portal_name", "@enter_portal_s_name");
        } else if name.chars().count() > NAME_MAX_CHARS {
            errors.add(
                "portal_name",
                crate::message::with("too_long", &[("max", &NAME_MAX_CHARS.to_string())]),
            );
        } else if name.chars().any(char::is_control) {
            errors.add("portal_name", "@use_one_line_text");
        } else if let Err(message) = crate::validation::check_one_line(name) {
            errors.add("portal_name", message);
        }
        let portal_name_translations = translated::from_form(
            &self.portal_name_translations,
            "portal_name",
            NAME_MAX_CHARS,
            &mut errors,
        );
        for (tag, translation) in &portal_name_translations {
            if let Err(message) = crate::validation::check_one_line(translation) {
                errors.add(&format!("portal_name_{tag}"), message);
            }
        }
        let accent = self.accent.trim().to_lowercase();
        if parse_hex(&accent).is_none() {
            errors.add("accent", "@enter_colour_as_six");
        } else if contrast_with_white(&accent) < 4.5 {
            errors.add("accent", "@colour_too_light_white");
        }
        let contact = self.contact_email.trim();
        let contact_email = if contact.is_empty() {
            String::new()
        } else {
            match normalise_email(contact) {
                Ok(email) => email,
                Err(message) => {
                    errors.add("contact_email", message);
                    String::new()
                }
            }
        };
        // Left out (an older form or client): the first language spoken.
        let wanted = match self.default_language.trim() {
            "" => spoken.first().copied().unwrap_or_default(),
            wanted => wanted,
        };
        let default_language = match crate::languages::supported_of(wanted, spoken) {
            Some(language) => language.to_string(),
            None => {
                errors.add(
                    "default_language",
                    crate::message::with("choose_one_of", &[("choices", &spoken.join(", "))]),
                );
                String::new()
            }
        };
        if !errors.is_empty() {
            let translations: Vec<(String, &str)> = self
                .portal_name_translations
                .iter()
                .map(|(tag, name)| (format!("portal_name_translations[{tag}]"), name.as_str()))
                .collect();
            let mut typed = vec![
                ("portal_name", self.portal_name.as_str()),
                ("accent", &self.accent),
                ("contact_email", &self.contact_email),
                ("default_language", &self.default_language),
            ];
            typed.extend(translations.iter().map(|(key, name)| (key.as_str(), *name)));
            return Err(errors.echo(&typed));
        }
        Ok(Branding {
            portal_name: name.to_string(),
            accent,
            contact_email,
            default_language,
            portal_name_translations,
        })
    }
}

fn parse_hex(colour: &str) -> Option<[u8; 3]> {
    let digits = colour.strip_prefix('#')?;
    if digits.len() != 6 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// WCAG contrast ratio of the colour against white.
fn contrast_with_white(colour: &str) -> f64 {
    let Some(rgb) = parse_hex(colour) else { return 1.0 };
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
    1.05 / (luminance + 0.05)
}

/// `colour` mixed with `other` (0.0 is all `colour`, 1.0 all `other`).
fn mix(rgb: [u8; 3], other: [u8; 3], amount: f64) -> String {
    let channel = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * amount).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        channel(rgb[0], other[0]),
        channel(rgb[1], other[1]),
        channel(rgb[2], other[2])
    )
}

/// The style sheet that carries the accent: the colour, a darker one for hover and headings,
/// and a pale one for backgrounds.
pub fn accent_css(accent: &str) -> String {
    let rgb = parse_hex(accent).unwrap_or([0x1f, 0x5f, 0x8b]);
    format!(
        ":root {{ --accent: {}; --accent-strong: {}; --accent-soft: {}; }}\n",
        mix(rgb, rgb, 0.0),
        mix(rgb, [0, 0, 0], 0.25),
        mix(rgb, [255, 255, 255], 0.9)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPOKEN: &[&str] = &["en", "nl"];

    fn input(name: &str, accent: &str, contact: &str) -> BrandingInput {
        BrandingInput {
            portal_name: name.into(),
            accent: accent.into(),
            contact_email: contact.into(),
            default_language: "nl".into(),
            portal_name_translations: BTreeMap::new(),
        }
    }

    #[test]
    fn the_name_may_be_given_per_language() {
        let mut acme = input("Acme Partners", "#1f5f8b", "");
        acme.portal_name_translations
            .insert("nl".into(), " Acme Partnerportaal ".into());
        let branding = acme.check(SPOKEN).unwrap();
        assert_eq!(branding.name_in("nl"), "Acme Partnerportaal");
        assert_eq!(branding.name_in("en"), "Acme Partners");
        acme.portal_name_translations
            .insert("nl".into(), "x".repeat(NAME_MAX_CHARS + 1));
        let errors = acme.check(SPOKEN).unwrap_err();
        assert!(errors.message("portal_name_nl").is_some());
        assert_eq!(
            errors.values.get("portal_name_translations[nl]").map(String::len),
            Some(NAME_MAX_CHARS + 1),
            "what was typed comes back"
        );
    }

    #[test]
    fn the_default_language_is_one_portico_speaks() {
        assert_eq!(
            input("Acme", "#1f5f8b", "")
                .check(SPOKEN)
                .unwrap()
                .default_language,
            "nl"
        );
        let mut german = input("Acme", "#1f5f8b", "");
        german.default_language = "de".into();
        assert_eq!(
            crate::message::english(german.check(SPOKEN).unwrap_err().message("default_language")),
            "Choose one of en, nl."
        );
        german.default_language = String::new();
        assert_eq!(
            german.check(SPOKEN).unwrap().default_language,
            "en",
            "left out: the first spoken"
        );
    }

    #[test]
    fn good_branding_is_normalised() {
        let branding = input(" Acme Partners ", "#0B5A3C", " Help@Acme.example ")
            .check(SPOKEN)
            .unwrap();
        assert_eq!(branding.portal_name, "Acme Partners");
        assert_eq!(branding.accent, "#0b5a3c");
        assert_eq!(branding.contact_email, "help@acme.example");
        assert!(
            input("Acme", "#1f5f8b", "").check(SPOKEN).is_ok(),
            "the contact is optional"
        );
    }

    #[test]
    fn each_field_says_what_is_wrong() {
        let errors = input("", "blue", "not-an-email").check(SPOKEN).unwrap_err();
        assert_eq!(errors.message("portal_name"), Some("@enter_portal_s_name"));
        assert!(crate::message::english(errors.message("accent")).contains("six hex digits"));
        assert!(errors.message("contact_email").is_some());
        let long = "x".repeat(NAME_MAX_CHARS + 1);
        assert!(input(&long, "#1f5f8b", "")
            .check(SPOKEN)
            .unwrap_err()
            .message("portal_name")
            .is_some());
        let pale = input("Acme", "#ffee88", "").check(SPOKEN).unwrap_err();
        assert!(crate::message::english(pale.message("accent")).contains("too light"));
    }

    #[test]
    fn the_style_sheet_derives_darker_and_paler_shades() {
        assert_eq!(
            accent_css("#1f5f8b"),
            ":root { --accent: #1f5f8b; --accent-strong: #174768; --accent-soft: #e9eff3; }\n"
        );
        assert!(accent_css("bad").contains("--accent: #1f5f8b"));
    }
}
