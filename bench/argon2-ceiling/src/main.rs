//! For `make bench`: the ceiling of password checks per second on this machine. One thread
//! times argon2 `verify` of the given hash (the parameters are the hash's own, so a hash the
//! portal wrote measures the portal's settings), and the median is scaled by the number of cores.
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
    let mut millis: Vec<f64> = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        if Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_err()
        {
            fail("the password does not match the hash");
        }
        millis.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    millis.sort_by(f64::total_cmp);
    let median = millis[millis.len() / 2];
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!(
        "{{\"median_ms\": {median:.3}, \"cores\": {cores}, \"ceiling_per_second\": {:.1}, \"params\": \"{}\"}}",
        cores as f64 * 1000.0 / median,
        parsed.params
    );
}

fn fail(message: &str) -> ! {
    eprintln!("argon2-ceiling: {message}");
    std::process::exit(2)
}
