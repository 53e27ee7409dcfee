//! Checks the catalogues (every language has every key, with the same placeholders: a mistake
//! fails the build, not the page) and compiles them into the `i18n` module. A language is a
//! folder under catalogues/: adding one adds the language.

use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

#[path = "src/check.rs"]
mod check;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=catalogues");
    let root = Path::new("catalogues");
    let catalogues = check::read_catalogues(root)?;
    let problems = check::problems(&catalogues);
    if !problems.is_empty() {
        for problem in &problems {
            println!("cargo::error=catalogues: {problem}");
        }
        return Err(format!("{} mistakes in the catalogues", problems.len()).into());
    }
    let parts: Vec<String> = {
        let default = &catalogues[check::DEFAULT_LANGUAGE];
        let mut parts: Vec<String> = default
            .keys()
            .filter_map(|k| k.split('.').next())
            .map(String::from)
            .collect();
        parts.dedup();
        parts.retain(|part| part != "messages");
        parts
    };
    let others = catalogues
        .keys()
        .filter(|l| l.as_str() != check::DEFAULT_LANGUAGE);
    let config = Config::new(check::DEFAULT_LANGUAGE)?
        .add_locales(others)?
        .add_namespaces(&parts)?
        .locales_path("catalogues")
        .parse_options(ParseOptions::new().interpolate_display(true));
    let infos = TranslationsInfos::parse(config)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    compile_messages(&catalogues, &out_dir)?;
    infos.generate_i18n_module(out_dir.join("i18n"))?;
    Ok(())
}

/// The `messages` part is read at run time by code (`locales::messages::word`), not through typed
/// keys: it becomes a `template(language, key)` lookup. Every code the sources use
/// (`"@key"` or `message::with("key", ..)`) must have a text, or the build fails.
fn compile_messages(catalogues: &BTreeMap<String, check::Texts>, out: &Path) -> Result<(), Box<dyn Error>> {
    let mut arms = String::new();
    for (language, texts) in catalogues {
        for (key, text) in texts {
            if let Some(name) = key.strip_prefix("messages.") {
                arms.push_str(&format!("        ({language:?}, {name:?}) => Some({text:?}),\n"));
            }
        }
    }
    let code = format!(
        "/// The text of message `key` in `language` (a tag such as `nl`).\n\
         fn template(language: &str, key: &str) -> Option<&'static str> {{\n    match (language, key) {{\n{arms}        _ => None,\n    }}\n}}\n"
    );
    std::fs::write(out.join("messages.rs"), code)?;
    let known = &catalogues[check::DEFAULT_LANGUAGE];
    let mut missing = Vec::new();
    // The locales crate's own counted texts are in dates.rs (its tests name unknown codes).
    for folder in [
        "../rules/src",
        "../services/src",
        "../app/src",
        "../server/src",
        "src/dates.rs",
    ] {
        println!("cargo::rerun-if-changed={folder}");
        for (file, code) in check::message_codes(Path::new(folder))? {
            let text = format!("messages.{code}");
            if !known.contains_key(&text) && !known.contains_key(&format!("{text}.other")) {
                missing.push(format!(
                    "{file}: message @{code} has no text in catalogues/en/messages.json"
                ));
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    for problem in &missing {
        println!("cargo::error={problem}");
    }
    Err(format!("{} messages without a text", missing.len()).into())
}
