//! Authenticator apps (TOTP, RFC 6238) through `totp-rs`: 6 digits, 30-second steps, SHA-1 (the
//! one every app supports), one step of drift either way. A new secret is 160 random bits.

use qrcode::render::svg;
use qrcode::QrCode;
use rand::rngs::OsRng;
use rand::RngCore;
use totp_rs::{Algorithm, Builder, Secret, Totp};

use rules::clock::Timestamp;
use rules::mfa::second_step::AUTHENTICATOR_DIGITS;

/// The purpose the secrets are sealed under (see `ServerKey::seal`).
pub const SEAL_PURPOSE: &str = "authenticator-secret";
const SECRET_BYTES: usize = 20;
const STEP_SECONDS: u64 = 30;

/// A fresh secret, as the base32 text apps take (and as it is sealed).
pub fn new_secret() -> String {
    let mut bytes = vec![0u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut bytes);
    Secret::from(bytes).to_base32()
}

fn totp(secret_base32: &str, issuer: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_base32).ok()?;
    // The otpauth label may not hold a colon.
    let clean = |text: &str| text.replace(':', " ").trim().to_string();
    let issuer = Some(clean(issuer)).filter(|i| !i.is_empty());
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(AUTHENTICATOR_DIGITS as u8)
        .with_skew(1)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret)
        .with_issuer(issuer)
        .with_account_name(clean(account))
        .build()
        .ok()
}

/// The 30-second step whose code `code` is, within one step of `now`; `None` when it is none.
/// (Whether that step was used before is the caller's to check: see `take_step`.)
pub fn matching_step(secret_base32: &str, code: &str, now: Timestamp) -> Option<i64> {
    let now = u64::try_from(now).ok()?;
    let step = totp(secret_base32, "", "")?.check(code, now)?;
    i64::try_from(step).ok()
}

/// The code an app shows at `at` (tests and the bench type it as a person would).
pub fn code_at(secret_base32: &str, at: Timestamp) -> Option<String> {
    Some(
        totp(secret_base32, "", "")?
            .generate(u64::try_from(at).ok()?)
            .to_string(),
    )
}

/// What an app needs to add the account: the otpauth:// address, drawn as a QR code (inline SVG,
/// without its XML declaration) for the page.
pub fn qr_svg(secret_base32: &str, issuer: &str, account: &str) -> Option<String> {
    let url = totp(secret_base32, issuer, account)?.to_url().ok()?;
    let code = QrCode::new(url.as_bytes()).ok()?;
    let drawn = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Some(
        drawn
            .find("<svg")
            .map_or(drawn.clone(), |at| drawn[at..].to_string()),
    )
}

/// The secret as a person types it: groups of four.
pub fn secret_for_typing(secret_base32: &str) -> String {
    secret_base32
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: Timestamp = 1_800_000_015;

    #[test]
    fn a_code_matches_its_own_step_and_one_either_side() {
        let secret = new_secret();
        let step = AT / 30;
        for drift in [-30, 0, 30] {
            let code = code_at(&secret, AT + drift).expect("a code");
            assert_eq!(
                matching_step(&secret, &code, AT),
                Some(step + drift / 30),
                "drift {drift}"
            );
        }
    }

    #[test]
    fn a_code_two_steps_away_does_not_match() {
        let secret = new_secret();
        for drift in [-60, 60] {
            let code = code_at(&secret, AT + drift).expect("a code");
            assert_eq!(matching_step(&secret, &code, AT), None, "drift {drift}");
        }
    }

    #[test]
    fn another_secret_or_a_malformed_code_does_not_match() {
        let (mine, theirs) = (new_secret(), new_secret());
        let code = code_at(&theirs, AT).expect("a code");
        assert_eq!(matching_step(&mine, &code, AT), None);
        assert_eq!(matching_step(&mine, "12345", AT), None);
        assert_eq!(matching_step(&mine, "abcdef", AT), None);
    }

    #[test]
    fn the_qr_code_is_inline_svg_and_the_secret_reads_in_fours() {
        let secret = new_secret();
        let svg = qr_svg(&secret, "Acme: Portico", "ada@example.com").expect("svg");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert_eq!(secret.len(), 32);
        assert_eq!(secret_for_typing(&secret).split(' ').count(), 8);
    }
}
