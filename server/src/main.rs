use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use portico_server::config::Config;
use portico_server::telemetry::init_logging;
use portico_server::{system_clock, Portal};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    let public = match config.check() {
        Ok(public) => public,
        Err(problems) => {
            eprintln!("Portico cannot start; fix these settings:");
            for problem in problems {
                eprintln!("  - {problem}");
            }
            return ExitCode::from(2);
        }
    };
    init_logging(&config.log, config.log_format);

    let portal = match Portal::start(&config, &public, system_clock()).await {
        Ok(portal) => portal,
        Err(error) => {
            tracing::error!(%error, "start failed");
            eprintln!("Portico cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Printed, not logged: the link is a secret meant for the person starting the server.
    println!(
        "Portico is running at {} ({})",
        public.base,
        config.engine_label()
    );
    if let Some(link) = &portal.setup_link {
        println!();
        println!("No admin exists yet. Open this one-time link to create the first admin:");
        println!();
        println!("    {link}");
        println!();
        println!("It works once, and only until this server restarts.");
    }
    match portal
        .serve(config.addr, Duration::from_secs(config.shutdown_grace_seconds))
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Portico stopped: {error}");
            ExitCode::FAILURE
        }
    }
}
