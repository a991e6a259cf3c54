#!/usr/bin/env bash
# Runs the ArangoDB contract suites (tests/store_arango.rs, and the execution
# store's in tests/execution_store.rs) and the ArangoDB variants of the
# end-to-end tests (alerts and executions among them) against a server
# you provide: ARANGO_URL names it and a user that may create and drop
# databases (each test works in a database of its own and drops it).
#
#   docker run -d --name arangodb -e ARANGO_ROOT_PASSWORD=pw -p 8529:8529 arangodb/arangodb:3.12
#   ARANGO_URL=arangodb://root:pw@127.0.0.1:8529/_system scripts/arango-live.sh
#
# Extra arguments go to the test binary (e.g. a test name). Without
# ARANGO_URL the suite would skip every test and pass, proving nothing, so
# this script refuses to run instead. Exits with cargo's status.
set -euo pipefail

if [[ -z "${ARANGO_URL:-}" ]]; then
    cat >&2 <<'USAGE'
arango-live: ARANGO_URL is not set; it must name an ArangoDB 3.11 or newer and
a user that may create databases, e.g.
  docker run -d --name arangodb -e ARANGO_ROOT_PASSWORD=pw -p 8529:8529 arangodb/arangodb:3.12
  ARANGO_URL=arangodb://root:pw@127.0.0.1:8529/_system scripts/arango-live.sh
USAGE
    exit 2
fi

cd "$(dirname "$0")/.."
# Every test named for ArangoDB: the store contract suite and this backend's
# live commit tests (tests/store_arango.rs), the execution store contract
# (tests/execution_store.rs), and the `arangodb::` variant of each end-to-end
# test written with `on_every_backend!` (tests/alerts.rs, tests/executions.rs
# and the others). The suites' tests use
# separate databases, so they may run in parallel.
cargo test --locked --tests -- arangodb
# The three backends resolving the demo alike needs PostgreSQL beside it.
exec scripts/with-postgres.sh cargo test --locked --test backends_agree
