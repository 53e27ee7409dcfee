//! Checks the catalogues (every language has every key, with the same placeholders: a mistake
//! fails the build, not the page) and compiles them into the `i18n` module. A language is a
//! folder under catalogues/: adding one adds the language.

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
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    infos.generate_i18n_module(out)?;
    Ok(())
}
