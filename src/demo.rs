//! The demo runbooks (`fixtures/demo/`), built into the binary so `serve`
//! can seed an empty store anywhere.

use anyhow::Context;

use crate::{
    auth::Clock,
    domain::{Host, ScopeDocument},
    format,
    store::Store,
    writes::import::{ImportActor, check_import, commit_import},
};

/// The demo files, in import order.
pub const FILES: [(&str, &str); 6] = [
    (
        "fixtures/demo/00-light-4j.yml",
        include_str!("../fixtures/demo/00-light-4j.yml"),
    ),
    (
        "fixtures/demo/10-acme.yml",
        include_str!("../fixtures/demo/10-acme.yml"),
    ),
    (
        "fixtures/demo/20-payments.yml",
        include_str!("../fixtures/demo/20-payments.yml"),
    ),
    (
        "fixtures/demo/21-retail.yml",
        include_str!("../fixtures/demo/21-retail.yml"),
    ),
    (
        "fixtures/demo/30-templates.yml",
        include_str!("../fixtures/demo/30-templates.yml"),
    ),
    (
        "fixtures/demo/40-services.yml",
        include_str!("../fixtures/demo/40-services.yml"),
    ),
];

/// Parses the demo documents for the given default host.
pub fn documents(default_host: &Host) -> anyhow::Result<Vec<ScopeDocument>> {
    let mut docs = Vec::new();
    for (file, text) in FILES {
        let parsed = format::parse_str(file, text, default_host)
            .map_err(|errors| anyhow::anyhow!(join_errors(&errors)))?;
        docs.extend(parsed.into_iter().map(|d| d.doc));
    }
    Ok(docs)
}

/// Imports the demo when the store holds nothing at all.
pub async fn seed_if_empty(
    store: &dyn Store,
    default_host: &Host,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    if !store.is_empty().await.context("cannot read the store")? {
        return Ok(());
    }
    let docs = documents(default_host)?;
    let checked = check_import(Some(store), &docs)
        .await
        .context("cannot check the demo")?;
    if checked.has_errors() {
        let problems: Vec<String> = checked
            .reports
            .values()
            .flat_map(|r| r.errors.iter().map(|p| p.message.clone()))
            .collect();
        anyhow::bail!("the demo runbooks do not resolve: {}", problems.join("; "));
    }
    let actor = ImportActor {
        uid: "demo",
        operation: "seedDemo",
        clock,
    };
    let written = commit_import(store, &checked, actor)
        .await
        .context("cannot write the demo")?;
    tracing::info!(
        scopes = written.len(),
        "imported the demo runbooks into the empty store"
    );
    Ok(())
}

fn join_errors(errors: &[format::FormatError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
