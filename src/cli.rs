//! The subcommands: `serve`, `import`, `export`, `check`, `lint`, `migrate`,
//! `schema`.
//! Each reports what it did on standard error (export writes YAML to
//! standard output) and exits non-zero on errors only.

use std::{collections::HashMap, io::Write, process::ExitCode, sync::Arc};

use anyhow::Context;

use crate::{
    auth::SystemClock,
    config::{
        CheckArgs, Command, ExportArgs, ImportArgs, LintArgs, ServeArgs, StoreArgs, tools::FailOn,
    },
    domain::{Host, ScopeId},
    format::{self, SourceDocument},
    resolve::{self, Catalog, Problem, Severity},
    startup::{Application, redact},
    store::{self, Store},
    writes::{
        self,
        import::{ImportActor, ImportCheck, check_import, commit_import},
    },
};

/// The exit code of an import refused because a scope changed since its
/// `--base-revision`.
pub const STALE_EXIT: u8 = 3;

/// Runs one subcommand.
pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve(args) => serve(*args).await,
        Command::Import(args) => import(args).await,
        Command::Export(args) => export(args).await,
        Command::Check(args) => check(args).await,
        Command::Lint(args) => lint(args).await,
        Command::Migrate(args) => migrate(args).await,
        Command::Schema(args) if args.federation => {
            print!("{}", crate::graphql::subgraph_sdl());
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema(_) => {
            print!("{}", crate::graphql::sdl());
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    Application::build(&args).await?.run_until_stopped().await?;
    Ok(ExitCode::SUCCESS)
}

/// Opens the store. The command line is a composition root like `serve`:
/// it holds the store itself.
async fn open(args: &StoreArgs) -> anyhow::Result<Arc<dyn Store>> {
    let url = args.url()?;
    store::open(&url, &args.options())
        .await
        .with_context(|| format!("cannot open the store {}", redact(&url)))
}

async fn migrate(args: StoreArgs) -> anyhow::Result<ExitCode> {
    let url = args.url()?;
    store::migrate(&url, &args.options())
        .await
        .with_context(|| format!("cannot migrate the store {}", redact(&url)))?;
    eprintln!("store {} is up to date", redact(&url));
    Ok(ExitCode::SUCCESS)
}

/// Parses the files; prints every error and returns None when any file is bad.
fn parse(paths: &[std::path::PathBuf], default_host: &Host) -> Option<Vec<SourceDocument>> {
    match format::parse_files(paths, default_host) {
        Ok(docs) => Some(docs),
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            eprintln!("{} error(s); nothing was checked further", errors.len());
            None
        }
    }
}

async fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let Some(sources) = parse(&args.paths, &args.store.host.default_host) else {
        return Ok(ExitCode::FAILURE);
    };
    let store = open(&args.store).await?;
    let docs: Vec<_> = sources.iter().map(|s| s.doc.clone()).collect();
    let checked = check_import(Some(store.as_ref()), &docs)
        .await
        .context("cannot read the store")?;
    let failed = report(&checked, &sources);
    if failed {
        eprintln!("import refused: nothing was written");
        return Ok(ExitCode::FAILURE);
    }
    let bases = match writes::base::for_documents(&docs, &args.base_revisions, "--base-revision") {
        Ok(bases) => bases,
        Err(e) => {
            eprintln!("error: --base-revision: {}", e.message);
            return Ok(ExitCode::FAILURE);
        }
    };
    // After the check's snapshot: the write below requires its generation.
    if let Err(e) = writes::base::check(store.as_ref(), &bases).await {
        eprintln!("conflict: {}", e.message);
        eprintln!("import refused: nothing was written");
        return Ok(ExitCode::from(STALE_EXIT));
    }
    let unchanged = docs.len() - checked.changed.len();
    if args.dry_run {
        eprintln!(
            "dry run: {} scope(s) would be written ({}), {unchanged} unchanged",
            checked.changed.len(),
            ids(checked.changed.iter().map(|d| &d.scope.id)),
        );
        return Ok(ExitCode::SUCCESS);
    }
    let uid = std::env::var("USER").map_or_else(|_| "cli".to_owned(), |u| format!("cli:{u}"));
    let actor = ImportActor {
        uid: &uid,
        operation: "import",
        clock: &SystemClock,
    };
    let written = commit_import(store.as_ref(), &checked, actor)
        .await
        .context("cannot write to the store")?;
    eprintln!(
        "imported: {} scope(s) written ({}), {unchanged} unchanged",
        written.len(),
        ids(written.iter()),
    );
    if !written.is_empty()
        && let Err(e) = store.refresh_statistics().await
    {
        // The import stands; queries are only slower until the database's
        // own maintenance catches up.
        eprintln!(
            "warning: the import is written, but refreshing the planner's statistics failed: {e}"
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let Some(sources) = parse(&args.paths, &args.host.default_host) else {
        return Ok(ExitCode::FAILURE);
    };
    let docs: Vec<_> = sources.iter().map(|s| s.doc.clone()).collect();
    let checked = match &args.store {
        Some(url) => {
            let store = store::open(url, &store::StoreOptions::default())
                .await
                .with_context(|| format!("cannot open the store {}", redact(url)))?;
            check_import(Some(store.as_ref()), &docs).await
        }
        None => check_import(None, &docs).await,
    }
    .context("cannot read the store")?;
    let failed = report(&checked, &sources);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints every problem with its file and document; true when any is an error.
fn report(checked: &ImportCheck, sources: &[SourceDocument]) -> bool {
    let places: HashMap<(&Host, &ScopeId), &SourceDocument> = sources
        .iter()
        .map(|s| ((&s.doc.scope.host, &s.doc.scope.id), s))
        .collect();
    let (mut errors, mut warnings, mut services) = (0, 0, 0);
    for (host, report) in &checked.reports {
        services += report.affected_services.len();
        for (severity, problems) in [("error", &report.errors), ("warning", &report.warnings)] {
            for p in problems {
                eprintln!(
                    "{severity}[{}]: {}",
                    p.code,
                    locate(p, places.get(&(host, &p.scope)))
                );
            }
        }
        errors += report.errors.len();
        warnings += report.warnings.len();
    }
    eprintln!(
        "checked {} document(s), {} changed, {services} service(s) resolved: {errors} error(s), {warnings} warning(s)",
        sources.len(),
        checked.changed.len(),
    );
    errors > 0
}

fn locate(p: &Problem, source: Option<&&SourceDocument>) -> String {
    let key = p
        .key
        .as_deref()
        .map(|k| format!(" at {k}"))
        .unwrap_or_default();
    match source {
        Some(s) => format!(
            "{}: document {} (scope {}), line {}{key}: {}",
            s.file, s.index, p.scope, s.line, p.message
        ),
        None => format!("scope {} (in the store){key}: {}", p.scope, p.message),
    }
}

/// The ids, or the first [`IDS_SHOWN`] of them and how many more: an import
/// of thousands of services says what it wrote in one readable line.
fn ids<'a>(ids: impl Iterator<Item = &'a ScopeId>) -> String {
    let list: Vec<&str> = ids.map(ScopeId::as_str).collect();
    match list.len() {
        0 => "none".to_owned(),
        n if n <= IDS_SHOWN => list.join(", "),
        n => format!(
            "{}, and {} more",
            list[..IDS_SHOWN].join(", "),
            n - IDS_SHOWN
        ),
    }
}

const IDS_SHOWN: usize = 20;

async fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let store = open(&args.store).await?;
    let host = match &args.host {
        Some(h) => Host::parse(h.as_str()).map_err(|e| anyhow::anyhow!("--host: {e}"))?,
        None => args.store.host.default_host.clone(),
    };
    let docs = if args.scopes.is_empty() {
        store.host_documents(&host).await?
    } else {
        let ids = args
            .scopes
            .iter()
            .map(|s| ScopeId::parse(s.as_str()).map_err(|e| anyhow::anyhow!("--scope: {e}")))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let docs = store.documents(&host, &ids).await?;
        if let Some(missing) = ids
            .iter()
            .find(|id| !docs.iter().any(|d| &d.scope.id == *id))
        {
            eprintln!("error: no scope {missing} in host {host}");
            return Ok(ExitCode::FAILURE);
        }
        // What a later `import --base-revision` of this output names.
        for id in &ids {
            let revision = writes::base::scope_revision(store.as_ref(), &host, id)
                .await
                .map_err(|e| anyhow::anyhow!("cannot read the history: {}", e.message))?;
            eprintln!(
                "scope {id} is at revision {revision}: import --base-revision {id}={revision}"
            );
        }
        docs
    };
    let yaml = format::export(&docs, &args.store.host.default_host);
    std::io::stdout()
        .lock()
        .write_all(yaml.as_bytes())
        .context("cannot write to standard output")?;
    Ok(ExitCode::SUCCESS)
}

/// `lint`: every finding of each service's whole effective runbook, one
/// line each (`SEVERITY CODE service scope [key]: message`), then a count;
/// exit 1 when one is at least as severe as `--fail-on`.
async fn lint(args: LintArgs) -> anyhow::Result<ExitCode> {
    let store = open(&args.store).await?;
    let host = match &args.host {
        Some(h) => Host::parse(h.as_str()).map_err(|e| anyhow::anyhow!("--host: {e}"))?,
        None => args.store.host.default_host.clone(),
    };
    let catalog = Catalog::new(store.host_documents(&host).await?);
    let services: Vec<ScopeId> = if args.services.is_empty() {
        (catalog.docs())
            .filter(|d| d.scope.kind == crate::domain::ScopeKind::Service)
            .map(|d| d.scope.id.clone())
            .collect()
    } else {
        (args.services.iter())
            .map(|s| ScopeId::parse(s.as_str()).map_err(|e| anyhow::anyhow!("--service: {e}")))
            .collect::<anyhow::Result<_>>()?
    };
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let mut out = std::io::stdout().lock();
    let (mut count, mut failing) = (0usize, false);
    for service in &services {
        let runbook = match catalog.resolve(service, None) {
            Ok(runbook) => runbook,
            Err(e) => {
                eprintln!("error: {service}: {e}");
                failing = true;
                continue;
            }
        };
        for f in resolve::lint(&runbook) {
            count += 1;
            failing |= threshold.is_some_and(|t| f.severity >= t);
            let key = f.key.map(|k| format!(" {k}")).unwrap_or_default();
            let line = format!(
                "{} {} {service} {}{key}: {}\n",
                f.severity.as_str(),
                f.code,
                f.scope,
                f.message
            );
            out.write_all(line.as_bytes())
                .context("cannot write to standard output")?;
        }
    }
    eprintln!(
        "{count} findings in {} services of host {host}",
        services.len()
    );
    Ok(if failing {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_of_ids_are_cut_with_a_count() {
        let many: Vec<ScopeId> = (0..25)
            .map(|i| ScopeId::parse(format!("svc-{i:02}")).expect("id"))
            .collect();
        assert_eq!(ids(many[..2].iter()), "svc-00, svc-01");
        assert_eq!(ids(std::iter::empty()), "none");
        let cut = ids(many.iter());
        assert!(cut.starts_with("svc-00, svc-01,"), "{cut}");
        assert!(cut.ends_with("svc-19, and 5 more"), "{cut}");
    }
}
