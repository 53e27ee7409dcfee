//! Password hashing (argon2id, OWASP parameters), verification that costs the same whether or
//! not the account exists, and the refusal of common passwords.

use std::sync::LazyLock;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Each hash holds 19 MiB for ~15 ms of one core, so hashing runs on its own threads, one per
/// core, and waits its turn there: more at once would only queue CPU work and multiply memory.
/// Keeping it to these few threads also keeps the memory down for good: the allocator holds on
/// to a freed 19 MiB block per thread and reuses it, where tokio's blocking pool would leave one
/// behind on each of its many threads (over 500 MB at peak in `make bench` before this pool).
static HASHING_POOL: LazyLock<Option<rayon::ThreadPool>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    rayon::ThreadPoolBuilder::new()
        .num_threads(cores)
        .thread_name(|i| format!("password-hashing-{i}"))
        .build()
        .map_err(|error| tracing::error!(%error, "could not start the password hashing threads"))
        .ok()
});

/// Runs `work` on the hashing threads and waits for its answer.
async fn on_hashing_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let pool = HASHING_POOL.as_ref()?;
    let (answer, answered) = tokio::sync::oneshot::channel();
    pool.spawn(move || {
        let _ = answer.send(work());
    });
    answered.await.ok()
}

/// Verified against when an email is unknown, so the answer takes as long as for a real one.
/// A fixed hash (of a random password nobody kept) with the parameters of [`hasher`], so no
/// start-up hashing is needed: that cost 19 MiB of memory and 15 ms at every start. A test
/// checks its parameters stay those of the hasher.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$fXeVjfFAtCy9zY3Vaw3gNA$x7xBY77lcdRKLNyOkJsYVVsmpaTNp7SLn+rM6IcWujQ";

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed")]
    Hashing,
}

fn hasher() -> Argon2<'static> {
    // argon2id, m=19456 KiB, t=2, p=1: the OWASP minimum and argon2 0.5's default.
    Argon2::default()
}

fn hash_blocking(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| PasswordError::Hashing)
}

fn verify_blocking(stored: &str, password: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

pub async fn hash_password(password: String) -> Result<String, PasswordError> {
    on_hashing_thread(move || hash_blocking(&password))
        .await
        .unwrap_or(Err(PasswordError::Hashing))
}

/// Checks a password against a stored hash; with no hash (unknown account, or none set yet)
/// it still runs one verification against a dummy hash and answers `false`.
pub async fn verify_password(stored: Option<String>, password: String) -> bool {
    on_hashing_thread(move || match stored {
        Some(hash) => verify_blocking(&hash, &password),
        None => {
            verify_blocking(DUMMY_HASH, &password);
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// Starts the hashing threads, so the first sign-in does not wait for them.
pub fn warm_up() {
    LazyLock::force(&HASHING_POOL);
}

/// Passwords longer than this are not in any common-password list worth the scan.
const COMMON_CHECK_MAX_CHARS: usize = 40;

/// True when the password, ignoring case and simple letter-for-digit swaps, is one of the
/// 30,000 most common passwords shipped inside the `zxcvbn` crate.
pub fn is_common_password(password: &str) -> bool {
    if password.chars().count() > COMMON_CHECK_MAX_CHARS {
        return false;
    }
    let entropy = zxcvbn::zxcvbn(password, &[]);
    let whole = password.chars().count();
    entropy.sequence().iter().any(|m| {
        let covers_all = m.i == 0 && m.j + 1 == whole;
        covers_all
            && matches!(&m.pattern, zxcvbn::matching::patterns::MatchPattern::Dictionary(d)
                // The dictionary's type is not nameable outside zxcvbn; its name is stable.
                if format!("{:?}", d.dictionary_name) == "Passwords" && !d.reversed)
    })
}

/// Everything a new password must satisfy beyond its length (checked by the form rules).
pub fn check_new_password(password: &str, email: &str) -> Result<(), String> {
    if is_common_password(password) {
        return Err("@password_one_most_common".into());
    }
    if password.eq_ignore_ascii_case(email)
        || email
            .split('@')
            .next()
            .is_some_and(|local| password.eq_ignore_ascii_case(local))
    {
        return Err("@do_not_use_email".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let dummy = PasswordHash::new(DUMMY_HASH).expect("a PHC string");
        let real_hash = hash_blocking("some-password-here").expect("hash");
        let real = PasswordHash::new(&real_hash).expect("a PHC string");
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params);
        assert!(!verify_blocking(DUMMY_HASH, "some-password-here"));
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters() {
        let hash = hash_password("a long passphrase".into()).await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    }

    #[tokio::test]
    async fn right_password_verifies_and_wrong_one_does_not() {
        let hash = hash_password("a long passphrase".into()).await.expect("hash");
        assert!(verify_password(Some(hash.clone()), "a long passphrase".into()).await);
        assert!(!verify_password(Some(hash), "a long passphrasE".into()).await);
    }

    #[tokio::test]
    async fn unknown_account_never_verifies() {
        assert!(!verify_password(None, "portico-dummy-password-for-timing".into()).await);
    }

    #[tokio::test]
    async fn same_password_gets_a_fresh_salt() {
        let a = hash_password("a long passphrase".into()).await.expect("hash");
        let b = hash_password("a long passphrase".into()).await.expect("hash");
        assert_ne!(a, b);
    }

    #[test]
    fn common_passwords_are_refused() {
        for common in [
            "password",
            "12345678",
            "qwertyuiop",
            "Password1",
            "iloveyou",
            "P@ssw0rd",
            "football",
        ] {
            assert!(is_common_password(common), "{common} should count as common");
        }
    }

    #[test]
    fn uncommon_passwords_pass() {
        for fine in [
            "plum-kettle-orbit-47",
            "correct horse battery staple",
            "Zq8!vN3#pL",
        ] {
            assert!(!is_common_password(fine), "{fine} should be accepted");
        }
    }

    #[test]
    fn the_email_is_not_a_password() {
        assert!(check_new_password("ada@example.com", "ada@example.com").is_err());
        assert!(check_new_password("adalovelace", "adalovelace@example.com").is_err());
        assert!(check_new_password("plum-kettle-orbit-47", "ada@example.com").is_ok());
    }
}
