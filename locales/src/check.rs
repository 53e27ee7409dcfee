//! The catalogues' one rule: every language has every key of the default language, with the
//! same placeholders, and no key the default lacks. Run by build.rs (a mistake fails the build)
//! and by the unit tests.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use serde_json::Value;

/// The default language: its catalogue is the one the others are compared with.
pub const DEFAULT_LANGUAGE: &str = "en";

/// The plural forms a counted text may give, as the Unicode CLDR names them. A counted text is
/// an object of forms (`{ "one": "1 day", "other": "{{ count }} days" }`); `other` is required,
/// the rest are whatever the language's rules use.
pub const PLURAL_FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One language's texts: `part.key` (nested keys joined by dots) to the text.
pub type Texts = BTreeMap<String, String>;

/// Every language folder under `root` (`root/<language>/<part>.json`), sorted, with its texts.
pub fn read_catalogues(root: &Path) -> Result<BTreeMap<String, Texts>, String> {
    let mut languages = BTreeMap::new();
    let folders = fs::read_dir(root).map_err(|e| format!("{}: {e}", root.display()))?;
    for folder in folders {
        let folder = folder.map_err(|e| e.to_string())?.path();
        if !folder.is_dir() {
            continue;
        }
        let language = folder
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        languages.insert(language, read_language(&folder)?);
    }
    Ok(languages)
}

fn read_language(folder: &Path) -> Result<Texts, String> {
    let mut texts = Texts::new();
    let files = fs::read_dir(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    for file in files {
        let path = file.map_err(|e| e.to_string())?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let part = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        flatten(&part, &value, &mut texts);
    }
    Ok(texts)
}

fn flatten(prefix: &str, value: &Value, texts: &mut Texts) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                flatten(&format!("{prefix}.{key}"), inner, texts);
            }
        }
        Value::String(text) => {
            texts.insert(prefix.to_string(), text.clone());
        }
        other => {
            texts.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// The names of a text's placeholders: `{{ name }}` gives `name`.
pub fn placeholders(text: &str) -> BTreeSet<String> {
    text.split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}"))
        .map(|(name, _)| name.trim().to_string())
        .collect()
}

/// What is wrong with the catalogues, one line a mistake; empty when they agree.
pub fn problems(catalogues: &BTreeMap<String, Texts>) -> Vec<String> {
    let Some(default) = catalogues.get(DEFAULT_LANGUAGE) else {
        return vec![format!(
            "there is no catalogue for the default language {DEFAULT_LANGUAGE}"
        )];
    };
    let mut found = Vec::new();
    for (language, texts) in catalogues.iter().filter(|(l, _)| l.as_str() != DEFAULT_LANGUAGE) {
        for (key, text) in default {
            match texts.get(key) {
                None if is_optional_form(key) => {}
                None => found.push(format!("{language}: {key} is missing")),
                Some(translated) => found.extend(compare(language, key, translated, text)),
            }
        }
        for (key, translated) in texts.iter().filter(|(key, _)| !default.contains_key(*key)) {
            match plural_group(key).and_then(|group| default.get(&format!("{group}.other"))) {
                Some(other) => found.extend(compare(language, key, translated, other)),
                None => found.push(format!("{language}: {key} is not in {DEFAULT_LANGUAGE}")),
            }
        }
    }
    found
}

/// What is wrong with one translated text, compared with the default language's.
fn compare(language: &str, key: &str, translated: &str, text: &str) -> Option<String> {
    let (theirs, ours) = (placeholders(translated), placeholders(text));
    // A plural form other than `other` may leave the count out ("één dag").
    let fits = if is_optional_form(key) {
        theirs.iter().all(|name| ours.contains(name) || name == "count")
    } else {
        theirs == ours
    };
    if !fits {
        Some(format!(
            "{language}: {key} has placeholders {theirs:?}, {DEFAULT_LANGUAGE} has {ours:?}"
        ))
    } else if translated.trim().is_empty() {
        Some(format!("{language}: {key} is empty"))
    } else {
        None
    }
}

/// The counted text a key is a plural form of (`messages.in_days` for `messages.in_days.few`):
/// counted texts are messages, worded at run time.
fn plural_group(key: &str) -> Option<&str> {
    let (group, form) = key.strip_prefix("messages.").and(key.rsplit_once('.'))?;
    PLURAL_FORMS.contains(&form).then_some(group)
}

/// A plural form that a language may have or lack, as its rules say: every one but `other`.
fn is_optional_form(key: &str) -> bool {
    plural_group(key).is_some() && !key.ends_with(".other")
}

/// Every message code used in the Rust sources under `folder` (or in one file): `"@key"` and
/// `"@key?` literals, `message::with("key"` and `counted(language, "key"` calls, with the file
/// each is in.
pub fn message_codes(folder: &Path) -> Result<Vec<(String, String)>, String> {
    let mut found = Vec::new();
    if folder.is_file() {
        let text = fs::read_to_string(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        let file = folder.display().to_string();
        return Ok(codes_in(&text)
            .into_iter()
            .map(|code| (file.clone(), code))
            .collect());
    }
    let entries = fs::read_dir(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            found.extend(message_codes(&path)?);
        } else if path.extension().and_then(|e| e.to_str()) == Some("rs") {
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            for code in codes_in(&text) {
                found.push((path.display().to_string(), code));
            }
        }
    }
    Ok(found)
}

/// The message codes in one source text.
pub fn codes_in(text: &str) -> Vec<String> {
    let key = |rest: &str| -> String {
        rest.chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
            .collect()
    };
    let mut codes = Vec::new();
    for (start, _) in text.match_indices("\"@") {
        let code = key(&text[start + 2..]);
        let after = text[start + 2 + code.len()..].chars().next();
        if !code.is_empty() && matches!(after, Some('"') | Some('?')) {
            codes.push(code);
        }
    }
    for (start, _) in text.match_indices("message::with(\"") {
        let code = key(&text[start + 15..]);
        if !code.is_empty() {
            codes.push(code);
        }
    }
    for (start, _) in text.match_indices("counted(") {
        let call = &text[start + 8..];
        let Some(quote) = call.find('"').filter(|q| !call[..*q].contains(')')) else {
            continue;
        };
        let code = key(&call[quote + 1..]);
        if !code.is_empty() {
            codes.push(code);
        }
    }
    codes
}
