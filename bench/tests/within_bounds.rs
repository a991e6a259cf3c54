//! The benchmark measures documents the service accepts: every generated
//! document reads back through the format with its bounds.

use light_runbook::{
    domain::{Host, limits::MAX_LINEAGE_DEPTH},
    format::{parse_str, to_document_yaml},
};
use light_runbook_bench as bench_data;

fn assert_reads(name: &str, docs: &[light_runbook::domain::ScopeDocument], host: &Host) {
    for doc in docs {
        let yaml = to_document_yaml(doc, host);
        if let Err(errors) = parse_str(name, &yaml, host) {
            let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
            panic!("{}: {}", doc.scope.id, shown.join("\n"));
        }
    }
}

#[test]
fn every_document_of_the_benchmark_datasets_is_within_the_bounds() {
    let host = Host::parse("lightapi.net").expect("host");
    // The sizes differ only in the number of services: the shared scopes and
    // each service's shape are the same, so the small one has every kind.
    let docs = bench_data::documents(bench_data::Size::Small.params(), 42, &host).expect("dataset");
    assert_reads("bench.yml", &docs, &host);
}

#[test]
fn the_deepest_chain_the_bounds_allow_reads() {
    let host = Host::parse("lightapi.net").expect("host");
    // MAX_LINEAGE_DEPTH levels above its service.
    let chain = bench_data::chain(&host, MAX_LINEAGE_DEPTH + 1, 300).expect("chain");
    assert_reads("chain.yml", &chain, &host);
}
