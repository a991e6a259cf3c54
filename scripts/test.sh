#!/usr/bin/env bash
# Runs every check and test of light-runbook: formatting, lints, and the whole
# test suite on SQLite and on a throwaway PostgreSQL server that this script
# provisions (installing Debian's postgresql package if it is missing).
# Needs only the Rust toolchain; fails loudly when anything cannot be set up.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain components"
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^${component}"; then
    rustup component add "${component}"
  fi
done

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (warnings are errors)"
cargo clippy --locked --all-targets -- -D warnings

step "tests (SQLite and PostgreSQL)"
scripts/with-postgres.sh cargo test --locked --all-targets
