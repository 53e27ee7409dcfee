//! The built front end's file names. `cargo leptos build` names the script, WebAssembly and
//! stylesheet by content hash and lists the hashes in `hash.txt` next to the server binary.
//! Read once: the app's shell and the pages the server writes itself link the same stylesheet.

use std::path::PathBuf;
use std::sync::OnceLock;

/// Where cargo-leptos lists the content hashes, relative to the server binary's folder.
pub const HASH_FILE: &str = "hash.txt";
const OUTPUT_NAME: &str = "portico";

/// The hash file of this binary's build, if the build named files by hash.
pub fn hash_file() -> Option<PathBuf> {
    let path = std::env::current_exe().ok()?.parent()?.join(HASH_FILE);
    path.is_file().then_some(path)
}

/// The stylesheet's address (with its hash when the build wrote one).
pub fn stylesheet_href() -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| {
        let hashes = hash_file().and_then(|path| std::fs::read_to_string(path).ok());
        stylesheet_for(hashes.as_deref())
    })
}

fn stylesheet_for(hashes: Option<&str>) -> String {
    let hash = hashes.and_then(|text| {
        text.lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(kind, _)| kind.trim() == "css")
            .map(|(_, hash)| hash.trim().to_string())
    });
    match hash {
        Some(hash) => format!("/pkg/{OUTPUT_NAME}.{hash}.css"),
        None => format!("/pkg/{OUTPUT_NAME}.css"),
    }
}

#[cfg(test)]
mod tests {
    use super::stylesheet_for;

    #[test]
    fn the_stylesheet_takes_its_hash_from_the_hash_file() {
        let hashes =
            "js: AAAAAAAAAAAAAAAAAAAAAA\nwasm: BBBBBBBBBBBBBBBBBBBBBB\ncss: Cc-cCCCCCCCCCCCCCCCCCC\n";
        assert_eq!(
            stylesheet_for(Some(hashes)),
            "/pkg/portico.Cc-cCCCCCCCCCCCCCCCCCC.css"
        );
        assert_eq!(stylesheet_for(None), "/pkg/portico.css");
        assert_eq!(stylesheet_for(Some("js: x\n")), "/pkg/portico.css");
    }
}
