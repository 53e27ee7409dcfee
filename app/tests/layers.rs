//! The adapters (the server functions under `src/api/`) sit below the pages in the same crate,
//! so the compiler does not keep them apart as it keeps rules, storage and services: this test
//! does. An adapter may use rules, services and storage's row types, never a page, a component
//! or the app shell.

use std::path::{Path, PathBuf};

/// What lies above the adapters in this crate.
const ABOVE: &[&str] = &[
    "crate::pages",
    "crate::components",
    "crate::app::",
    "crate::partner_pages",
    "crate::front_end",
];

fn rust_files(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("a readable folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn adapters_import_nothing_from_the_layers_above_them() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api"), &mut files);
    assert!(
        files.len() > 10,
        "the adapters were found ({} files)",
        files.len()
    );
    let mut upward = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a readable file");
        for (n, line) in text.lines().enumerate() {
            if ABOVE.iter().any(|above| line.contains(above)) {
                upward.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "adapters importing from above:\n{}",
        upward.join("\n")
    );
}
