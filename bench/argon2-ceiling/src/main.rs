//! For `make bench`: the ceiling of password checks per second on this machine. One thread
//! times argon2 `verify` of the given hash (the parameters are the hash's own, so a hash the
//! portal wrote measures the portal's settings), and the median is scaled by the number of cores.
//! It also runs one such thread per core at once and reports what they achieve together, since
//! argon2 is memory-hard and parallel checks compete for the memory system.
//!
//!   argon2-ceiling PHC_HASH PASSWORD [ROUNDS]    prints JSON

use std::time::Instant;

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use argon2::Argon2;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(hash), Some(password)) = (args.get(1), args.get(2)) else {
        fail("usage: argon2-ceiling PHC_HASH PASSWORD [ROUNDS]");
    };
    let rounds = match args.get(3).map(|r| r.parse::<usize>()) {
        None => 60,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => fail("ROUNDS must be a whole number above 0"),
    };
    let parsed = PasswordHash::new(hash).unwrap_or_else(|e| fail(&format!("not a PHC hash: {e}")));
    let mut millis = time_verifies(&parsed, password, rounds);
    millis.sort_by(f64::total_cmp);
    let median = millis[millis.len() / 2];
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);

    let together = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..cores {
            scope.spawn(|| time_verifies(&parsed, password, rounds));
        }
    });
    let all_cores_per_second = (cores * rounds) as f64 / together.elapsed().as_secs_f64();
    println!(
        "{{\"median_ms\": {median:.3}, \"cores\": {cores}, \"ceiling_per_second\": {:.1}, \
         \"all_cores_per_second\": {all_cores_per_second:.1}, \"params\": \"{}\"}}",
        cores as f64 * 1000.0 / median,
        parsed.params
    );
}

/// Verifies `rounds` times on this thread; answers each one's milliseconds.
fn time_verifies(parsed: &PasswordHash<'_>, password: &str, rounds: usize) -> Vec<f64> {
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            if Argon2::default()
                .verify_password(password.as_bytes(), parsed)
                .is_err()
            {
                fail("the password does not match the hash");
            }
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect()
}

fn fail(message: &str) -> ! {
    eprintln!("argon2-ceiling: {message}");
    std::process::exit(2)
}
