//! The benchmark's tooling, outside the service: synthetic datasets
//! (`light-runbook-bench generate --size small --seed 42 --out DIR` writes a
//! realistic host as `light-runbook/v1` YAML, deterministic from the seed;
//! import it with `light-runbook import DIR`), the bare lineage timing
//! (`light-runbook-bench lineage`), and the incident load generators
//! (`src/bin/first_ask.rs`, `src/bin/alert_storm.rs`). The tests of the
//! service use the datasets too.
//!
//! Shape: a framework holding the platform's procedure tree and error codes;
//! organizations under it, lines of business under those, templates beside
//! them; services under a line of business and most also under a template
//! (a 4-level lineage plus a template, resolved with C3). Each service mixes
//! overrides, additions, removals, branch redirects and entries.
//!
//! Beside the YAML, `services.txt` and `codes.txt` list the service ids and
//! the registered error codes (one a line) for load generators, and
//! `dataset.txt` says what was generated.

mod chain;
mod service;
mod shape;
mod timing;

use std::{fmt::Write as _, path::PathBuf, process::ExitCode};

use anyhow::Context;
use clap::{Args, ValueEnum};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use chain::chain;
pub use shape::{FRAMEWORK, Params, code};
pub use timing::{BenchLineageArgs, bench_lineage};

use light_runbook::domain::{Host, ScopeDocument, ScopeKind};

/// A dataset size preset. The platform tree is the same in all three, so
/// that they differ in the number of services only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Size {
    /// 100 services.
    Small,
    /// 5,000 services.
    Medium,
    /// 50,000 services.
    Large,
}

impl Size {
    /// The preset's parameters: 300 platform procedures, 600 branches, 100 codes.
    pub fn params(self) -> Params {
        Params {
            services: match self {
                Self::Small => 100,
                Self::Medium => 5_000,
                Self::Large => 50_000,
            },
            procedures: 300,
            branches: 600,
            error_codes: 100,
            organizations: 4,
            lines_per_organization: 5,
            templates: 8,
        }
    }
}

/// `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Size preset.
    #[arg(long, value_enum, default_value = "small")]
    pub size: Size,
    /// Seed of the generator: the same seed and sizes give the same files.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Directory to write (created; must be empty if it exists).
    #[arg(long)]
    pub out: PathBuf,
    /// Override the preset's number of services.
    #[arg(long)]
    pub services: Option<usize>,
    /// Override the preset's number of platform procedures (the tree size).
    #[arg(long)]
    pub procedures: Option<usize>,
    /// Override the preset's number of platform branches (default: twice the procedures).
    #[arg(long)]
    pub branches: Option<usize>,
    /// Host the documents belong to.
    #[arg(long = "default-host", default_value = "lightapi.net")]
    pub host: String,
}

impl GenerateArgs {
    /// The preset with the overrides applied.
    pub fn params(&self) -> Params {
        let mut p = self.size.params();
        if let Some(n) = self.services {
            p.services = n;
        }
        if let Some(n) = self.procedures {
            p.procedures = n.max(1);
            p.branches = 2 * p.procedures;
        }
        if let Some(n) = self.branches {
            p.branches = n;
        }
        p
    }
}

/// The documents of a dataset: the shared scopes first, then the services.
pub fn documents(params: Params, seed: u64, host: &Host) -> anyhow::Result<Vec<ScopeDocument>> {
    let mut shaper = shape::Shaper {
        rng: ChaCha8Rng::seed_from_u64(seed),
        host: host.clone(),
        params,
    };
    let mut docs = vec![shaper.framework()?];
    let mut lines = Vec::new();
    for o in 0..params.organizations {
        let org = format!("org{o}");
        docs.push(shaper.middle(&org, ScopeKind::Organization, &[FRAMEWORK], 5, 3)?);
        for l in 0..params.lines_per_organization {
            let line = format!("org{o}-lob{l}");
            docs.push(shaper.middle(&line, ScopeKind::LineOfBusiness, &[&org], 3, 2)?);
            lines.push((o, l, line));
        }
    }
    let templates: Vec<String> = (0..params.templates).map(|t| format!("tpl{t}")).collect();
    for t in &templates {
        docs.push(shaper.middle(t, ScopeKind::Template, &[FRAMEWORK], 2, 5)?);
    }
    for n in 0..params.services {
        let Some((o, l, line)) = lines.get(n % lines.len().max(1)).cloned() else {
            anyhow::bail!("a dataset with services needs at least one line of business");
        };
        let id = format!("com.org{o}.lob{l}.svc-{n:05}-1.0.0");
        let template = match templates.is_empty() || shaper.rng.random_bool(0.3) {
            true => None,
            false => templates.get(shaper.rng.random_range(0..templates.len())),
        };
        let parents: Vec<&str> = std::iter::once(line.as_str())
            .chain(template.map(String::as_str))
            .collect();
        docs.push(shaper.service(&id, &parents)?);
    }
    Ok(docs)
}

/// Services per YAML file.
const CHUNK: usize = 1000;

/// `generate`: writes the dataset's YAML and lists.
pub fn generate(args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    let host =
        Host::parse(args.host.as_str()).map_err(|e| anyhow::anyhow!("--default-host: {e}"))?;
    let params = args.params();
    let out = &args.out;
    if out.exists()
        && std::fs::read_dir(out)
            .with_context(|| format!("cannot read {}", out.display()))?
            .next()
            .is_some()
    {
        anyhow::bail!(
            "{} is not empty: give a new or empty directory",
            out.display()
        );
    }
    std::fs::create_dir_all(out.join("services"))
        .with_context(|| format!("cannot create {}", out.display()))?;
    let docs = documents(params, args.seed, &host)?;
    let shared = docs.len() - params.services;
    let write = |name: PathBuf, text: String| {
        std::fs::write(out.join(&name), text)
            .with_context(|| format!("cannot write {}", out.join(&name).display()))
    };
    write(
        "00-platform.yml".into(),
        light_runbook::format::export(&docs[..shared], &host),
    )?;
    for (i, chunk) in docs[shared..].chunks(CHUNK).enumerate() {
        let name = PathBuf::from("services").join(format!("svc-{i:03}.yml"));
        write(name, light_runbook::format::export(chunk, &host))?;
    }
    let mut services = String::new();
    for d in &docs[shared..] {
        writeln!(services, "{}", d.scope.id)?;
    }
    write("services.txt".into(), services)?;
    let mut codes = String::new();
    for c in 0..params.error_codes {
        writeln!(codes, "{}", code(c)?)?;
    }
    write("codes.txt".into(), codes)?;
    let mut about = format!("seed: {}\n{params:?}\n", args.seed);
    for (what, n) in shape::summary(&docs) {
        writeln!(about, "{what}: {n}")?;
    }
    write("dataset.txt".into(), about)?;
    eprintln!(
        "generated {} scope(s) ({} service(s)) in {}",
        docs.len(),
        params.services,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
