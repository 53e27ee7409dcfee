//! Recovery codes: ten per set, shown once, each of ten letters and digits from an alphabet
//! without look-alikes (no 0/o, 1/i/l), written as two groups of five: about 50 bits each.

/// Codes in one set.
pub const RECOVERY_CODES_PER_SET: usize = 10;
/// The letters a recovery code is made of.
pub const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const GROUP: usize = 5;

/// Writes ten alphabet characters (from `pick`, indexes into [`RECOVERY_ALPHABET`]) as a code.
pub fn format_recovery_code(picks: &[usize; 2 * GROUP]) -> String {
    let letters: String = picks
        .iter()
        .map(|i| RECOVERY_ALPHABET[i % RECOVERY_ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &letters[..GROUP], &letters[GROUP..])
}

/// The stored form of a typed recovery code: lowercase, spaces and dashes dropped, the dash put
/// back after five; `None` when it cannot be one.
pub fn normalise_recovery_code(typed: &str) -> Option<String> {
    let letters: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let fits = letters.len() == 2 * GROUP && letters.bytes().all(|b| RECOVERY_ALPHABET.contains(&b));
    fits.then(|| format!("{}-{}", &letters[..GROUP], &letters[GROUP..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formatted_code_reads_back_as_itself() {
        let code = format_recovery_code(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 30]);
        assert_eq!(code, "abcde-fghj9");
        assert_eq!(normalise_recovery_code(&code).as_deref(), Some("abcde-fghj9"));
        assert_eq!(
            normalise_recovery_code(" ABCDE FGHJ9 ").as_deref(),
            Some("abcde-fghj9")
        );
    }

    #[test]
    fn look_alikes_and_wrong_lengths_are_not_codes() {
        assert_eq!(normalise_recovery_code("abcde-fghj0"), None);
        assert_eq!(normalise_recovery_code("abcde-fghi9"), None);
        assert_eq!(normalise_recovery_code("abcde-fgh"), None);
    }
}
