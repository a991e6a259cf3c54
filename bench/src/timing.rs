//! `bench-lineage` (hidden): the bare store query that loads one lineage's
//! documents, timed alone, one call at a time, for random services; and the
//! pure resolution of what it loaded, to set beside a cold `runbook` request.
//! Prints one JSON object of latencies in microseconds.

use std::{path::PathBuf, process::ExitCode, time::Instant};

use anyhow::Context;
use clap::Args;
use rand::{SeedableRng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use light_runbook::{
    domain::{ErrorCode, Host, ScopeId},
    resolve,
    store::{self, StoreOptions},
};

/// `bench-lineage`.
#[derive(Debug, Args)]
pub struct BenchLineageArgs {
    /// Store URL.
    #[arg(long, env = "RUNBOOK_STORE")]
    pub store: String,
    /// File of service ids, one a line (a generated dataset's services.txt).
    #[arg(long)]
    pub services: PathBuf,
    /// File of error codes, one a line (a generated dataset's codes.txt).
    #[arg(long)]
    pub codes: PathBuf,
    /// Timed calls of each kind.
    #[arg(long, default_value_t = 2000)]
    pub count: usize,
    /// Seed choosing the services.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Host of the services.
    #[arg(long = "default-host", default_value = "lightapi.net")]
    pub host: String,
}

fn lines(path: &PathBuf) -> anyhow::Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// p50, p99 and mean of durations in microseconds.
fn stats(mut micros: Vec<f64>) -> serde_json::Value {
    if micros.is_empty() {
        return json!(null);
    }
    micros.sort_by(f64::total_cmp);
    let at = |q: f64| micros[((micros.len() - 1) as f64 * q).round() as usize];
    let mean = micros.iter().sum::<f64>() / micros.len() as f64;
    json!({ "p50_us": at(0.5), "p99_us": at(0.99), "mean_us": mean, "count": micros.len() })
}

/// Times `lineage_documents` (bare store, no instrumentation, no cache) and
/// the resolution of its result.
pub async fn bench_lineage(args: &BenchLineageArgs) -> anyhow::Result<ExitCode> {
    let host =
        Host::parse(args.host.as_str()).map_err(|e| anyhow::anyhow!("--default-host: {e}"))?;
    let services = lines(&args.services)?
        .into_iter()
        .map(ScopeId::parse)
        .collect::<Result<Vec<_>, _>>()?;
    let codes = lines(&args.codes)?
        .into_iter()
        .map(ErrorCode::parse)
        .collect::<Result<Vec<_>, _>>()?;
    anyhow::ensure!(
        !services.is_empty() && !codes.is_empty(),
        "no services or no codes"
    );
    let options = StoreOptions {
        run_migrations: false,
        ..StoreOptions::default()
    };
    let store = store::open(&args.store, &options).await?;
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let (mut query, mut lineage_at, mut code_resolve, mut whole_resolve) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut rows = 0usize;
    for round in 0..(args.count + args.count / 10) {
        let measured = round >= args.count / 10;
        let (Some(service), Some(code)) = (services.choose(&mut rng), codes.choose(&mut rng))
        else {
            break;
        };
        let started = Instant::now();
        let docs = store.lineage_documents(&host, service).await?;
        let took = started.elapsed().as_secs_f64() * 1e6;
        let started = Instant::now();
        let at = store.lineage_at(&host, service).await;
        let took_at = started.elapsed().as_secs_f64() * 1e6;
        let started = Instant::now();
        let for_code = resolve::resolve(service, &docs, Some(code));
        let took_code = started.elapsed().as_secs_f64() * 1e6;
        let started = Instant::now();
        let whole = resolve::resolve(service, &docs, None);
        let took_whole = started.elapsed().as_secs_f64() * 1e6;
        anyhow::ensure!(
            for_code.is_ok() && whole.is_ok(),
            "{service} does not resolve"
        );
        if measured {
            rows += docs.len();
            query.push(took);
            if at.is_ok() {
                lineage_at.push(took_at);
            }
            code_resolve.push(took_code);
            whole_resolve.push(took_whole);
        }
    }
    let report = json!({
        "backend": store.backend(),
        "documents_per_lineage": rows as f64 / query.len().max(1) as f64,
        "lineage_documents": stats(query),
        "lineage_at": stats(lineage_at),
        "resolve_error_code": stats(code_resolve),
        "resolve_whole": stats(whole_resolve),
    });
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}
