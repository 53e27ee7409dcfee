//! The built front end under `/pkg`: brotli or gzip copies as the browser accepts them, a year
//! of caching for hashed names (also those a `--split` build would write), the brotli copy kept
//! in memory after its first request, and the passkey script precompressed too.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use crate::support::{run, Db, Reply, TestPortal};

const WASM: &str = "portico.Xk3v9QmZ2bW8cLp0RtY7aQ.wasm";

async fn fetch(portal: &TestPortal, path: &str, accept_encoding: Option<&str>) -> Reply {
    let mut request = Request::builder().uri(path);
    if let Some(codings) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, codings);
    }
    portal.send(request.body(Body::empty()).expect("request")).await
}

#[test]
fn hashed_files_are_served_precompressed_and_cached_for_a_year() {
    run(async {
        let site = tempfile::tempdir().expect("site folder");
        let pkg = site.path().join("pkg");
        std::fs::create_dir(&pkg).expect("pkg folder");
        std::fs::write(pkg.join(WASM), "raw wasm").expect("raw");
        std::fs::write(pkg.join(format!("{WASM}.br")), "brotli wasm").expect("br");
        std::fs::write(pkg.join(format!("{WASM}.gz")), "gzip wasm").expect("gz");
        std::fs::write(pkg.join("portico.wasm"), "unhashed").expect("unhashed");
        let root = site.path().display().to_string();
        let portal = TestPortal::start_with(Db::Sqlite, &["--site-root", &root]).await;
        let path = format!("/pkg/{WASM}");

        for round in ["read from disk", "held in memory"] {
            let brotli = fetch(&portal, &path, Some("gzip, deflate, br")).await;
            assert_eq!(brotli.status, StatusCode::OK, "{round}");
            assert_eq!(brotli.body, "brotli wasm", "{round}");
            assert_eq!(brotli.header("content-encoding"), Some("br"), "{round}");
            assert_eq!(brotli.header("content-type"), Some("application/wasm"), "{round}");
            assert_eq!(brotli.header("vary"), Some("accept-encoding"), "{round}");
            assert_eq!(
                brotli.header("cache-control"),
                Some("public, max-age=31536000, immutable"),
                "{round}"
            );
        }
        // Changed on disk after the first request: the held copy stands (a new build has new names).
        std::fs::write(pkg.join(format!("{WASM}.br")), "rebuilt").expect("br");
        assert_eq!(fetch(&portal, &path, Some("br")).await.body, "brotli wasm");

        let gzip = fetch(&portal, &path, Some("gzip, br;q=0")).await;
        assert_eq!(
            (gzip.body.as_str(), gzip.header("content-encoding")),
            ("gzip wasm", Some("gzip"))
        );
        let raw = fetch(&portal, &path, None).await;
        assert_eq!(
            (raw.body.as_str(), raw.header("content-encoding")),
            ("raw wasm", None)
        );
        assert_eq!(
            raw.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );

        let unhashed = fetch(&portal, "/pkg/portico.wasm", Some("br")).await;
        assert_eq!(unhashed.body, "unhashed");
        assert_eq!(unhashed.header("cache-control"), Some("no-cache"));
        let missing = fetch(&portal, "/pkg/portico.AAAAAAAAAAAAAAAAAAAAAA.wasm", Some("br")).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    })
}

#[test]
fn split_chunks_and_the_passkey_script_are_served_precompressed() {
    run(async {
        let site = tempfile::tempdir().expect("site folder");
        let pkg = site.path().join("pkg");
        std::fs::create_dir(&pkg).expect("pkg folder");
        // The names `cargo leptos build --split` gives a page's chunk and its loader. The build
        // does not split now (see docs/performance.md); a split build's files are cached alike.
        let chunk = "split___admin_audit_view_10926237967230914651.EHkiBjH4XKLXEHpvP3kcUQ.wasm";
        let loader = "__wasm_split.GEJHEOkT2Tb7sOQhIYmDeQ.js";
        for name in [chunk, loader] {
            std::fs::write(pkg.join(name), "raw").expect("raw");
            std::fs::write(pkg.join(format!("{name}.br")), "brotli").expect("br");
        }
        std::fs::write(site.path().join("passkeys.js"), "raw script").expect("raw");
        std::fs::write(site.path().join("passkeys.js.br"), "brotli script").expect("br");
        let root = site.path().display().to_string();
        let portal = TestPortal::start_with(Db::Sqlite, &["--site-root", &root]).await;

        for name in [chunk, loader] {
            let reply = fetch(&portal, &format!("/pkg/{name}"), Some("br")).await;
            assert_eq!(
                (reply.body.as_str(), reply.header("content-encoding")),
                ("brotli", Some("br")),
                "{name}"
            );
            assert_eq!(
                reply.header("cache-control"),
                Some("public, max-age=31536000, immutable"),
                "{name}"
            );
        }
        let script = fetch(&portal, "/passkeys.js", Some("gzip, br")).await;
        assert_eq!(script.status, StatusCode::OK);
        assert_eq!(
            (script.body.as_str(), script.header("content-encoding")),
            ("brotli script", Some("br"))
        );
        assert_eq!(script.header("content-type"), Some("text/javascript"));
        let raw = fetch(&portal, "/passkeys.js", None).await;
        assert_eq!(
            (raw.body.as_str(), raw.header("content-encoding")),
            ("raw script", None)
        );
    })
}
