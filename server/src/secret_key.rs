//! The server's secret key: PORTICO_SECRET_KEY when set (the way for several instances, which
//! must share it), else the key file, made on first start with 32 random bytes and readable by
//! this user only. The file is made under a temporary name and linked into place, so instances
//! starting at once all end up with the one key that won.

use std::io::Write;
use std::path::Path;

use rand::rngs::OsRng;
use rand::RngCore;

use crate::config::Config;
use services::server_key::ServerKey;

#[derive(Debug, thiserror::Error)]
#[error("could not read or make the secret key file {path}: {source}")]
pub struct SecretKeyError {
    path: String,
    source: std::io::Error,
}

pub fn load(config: &Config) -> Result<ServerKey, SecretKeyError> {
    if let Some(key) = &config.secret_key {
        return Ok(ServerKey::new(key.as_bytes()));
    }
    let path = &config.secret_key_file;
    let failed = |source| SecretKeyError {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read(path) {
        Ok(bytes) if bytes.len() >= 32 => return Ok(ServerKey::new(&bytes)),
        Ok(_) => {
            let short = std::io::Error::new(std::io::ErrorKind::InvalidData, "shorter than 32 bytes");
            return Err(failed(short));
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(failed(error)),
    }
    make_key_file(path).map_err(failed)?;
    let bytes = std::fs::read(path).map_err(failed)?;
    Ok(ServerKey::new(&bytes))
}

fn make_key_file(path: &Path) -> std::io::Result<()> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let temporary = path.with_extension(format!("new-{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary)?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    // Linking fails if another instance put its key there first: then that one is the key.
    let linked = std::fs::hard_link(&temporary, path);
    std::fs::remove_file(&temporary)?;
    match linked {
        Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => Err(error),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn config(extra: &[&str]) -> Config {
        let mut args = vec!["server"];
        args.extend_from_slice(extra);
        Config::try_parse_from(args).expect("parses")
    }

    #[test]
    fn a_key_file_is_made_once_and_then_kept() {
        let folder = tempfile::tempdir().expect("temp folder");
        let file = folder.path().join("data/secret.key");
        let file = file.to_str().expect("utf-8");
        let first = load(&config(&["--secret-key-file", file])).expect("made");
        let key = std::fs::read(file).expect("written");
        assert_eq!(key.len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file).expect("metadata").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = load(&config(&["--secret-key-file", file])).expect("read");
        let hash = first.keyed_hash("t", &["x"]);
        assert!(again.verify(&hash, "t", &["x"]), "the same key after a restart");
        assert_eq!(
            std::fs::read_dir(folder.path().join("data"))
                .expect("dir")
                .count(),
            1,
            "no temporary left"
        );
    }

    #[test]
    fn the_configured_key_wins_over_the_file() {
        let key = "k".repeat(40);
        let loaded = load(&config(&[
            "--secret-key",
            &key,
            "--secret-key-file",
            "/nonexistent/x",
        ]))
        .expect("key");
        assert!(ServerKey::new(key.as_bytes()).verify(&loaded.keyed_hash("t", &["x"]), "t", &["x"]));
    }
}
