//! `light-runbook-bench`: the benchmark's own commands, kept out of the
//! service's binary.
//!
//! ```text
//! light-runbook-bench generate --size medium --seed 42 --out DIR
//! light-runbook-bench lineage --store URL --services FILE --codes FILE
//! ```

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use light_runbook_bench::{BenchLineageArgs, GenerateArgs, bench_lineage, generate};

#[derive(Debug, Parser)]
#[command(name = "light-runbook-bench", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a synthetic dataset as runbook YAML, with services.txt and codes.txt.
    Generate(GenerateArgs),
    /// Time the bare lineage query of random services (no HTTP, no cache).
    Lineage(BenchLineageArgs),
}

#[tokio::main]
async fn main() -> anyhow::Result<ExitCode> {
    match Cli::parse().command {
        Command::Generate(args) => generate(&args),
        Command::Lineage(args) => bench_lineage(&args).await,
    }
}
