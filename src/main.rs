//! The `light-runbook` binary: parse the command line, start logging, run.

use std::process::ExitCode;

use clap::Parser;
use light_runbook::{cli, config::Cli, telemetry};

#[tokio::main]
async fn main() -> ExitCode {
    let args = Cli::parse();
    telemetry::init();
    match cli::run(args.command).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
