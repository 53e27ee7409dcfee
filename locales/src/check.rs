//! The catalogues' one rule: every language has every key of the default language, with the
//! same placeholders, and no key the default lacks. Run by build.rs (a mistake fails the build)
//! and by the unit tests.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use serde_json::Value;

/// The default language: its catalogue is the one the others are compared with.
pub const DEFAULT_LANGUAGE: &str = "en";

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
                None => found.push(format!("{language}: {key} is missing")),
                Some(translated) if placeholders(translated) != placeholders(text) => found.push(format!(
                    "{language}: {key} has placeholders {:?}, {DEFAULT_LANGUAGE} has {:?}",
                    placeholders(translated),
                    placeholders(text)
                )),
                Some(translated) if translated.trim().is_empty() => {
                    found.push(format!("{language}: {key} is empty"))
                }
                Some(_) => {}
            }
        }
        for key in texts.keys().filter(|key| !default.contains_key(*key)) {
            found.push(format!("{language}: {key} is not in {DEFAULT_LANGUAGE}"));
        }
    }
    found
}

/// Every message code used in the Rust sources under `folder`: `"@key"` and `"@key?` literals,
/// and `message::with("key"` calls, with the file each is in.
pub fn message_codes(folder: &Path) -> Result<Vec<(String, String)>, String> {
    let mut found = Vec::new();
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
    codes
}
