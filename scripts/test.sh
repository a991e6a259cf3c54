#!/usr/bin/env bash
# Runs every check and test of light-runbook: formatting, lints, and the whole
# test suite on SQLite and on a throwaway PostgreSQL server that this script
# provisions (installing Debian's postgresql package if it is missing), and the
# federation and GraphiQL browser tests (installing Debian's chromium package if
# it is missing; they need Node.js 20+ with npm).
# Fails loudly when anything cannot be set up.
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
cargo clippy --locked --workspace --all-targets -- -D warnings

# The service as `cargo run -- serve` builds it: without the test targets,
# whose dev-dependencies would otherwise lend it features it does not declare.
step "cargo check of the service alone"
cargo check --locked --bin light-runbook

# --- browser and Node.js for tests/federation.rs and tests/graphiql_browser.rs ---
# The GraphiQL browser test drives Debian's headless Chromium (/usr/bin/chromium);
# the federation and browser tests run the npm project in tests/federation/ with
# Node.js 20+ and npm (the tests install its node_modules with `npm ci`).
step "headless Chromium for the GraphiQL browser test"
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "cannot install Chromium: apt-get needs root; run: apt-get install -y chromium" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi
/usr/bin/chromium --version 2>/dev/null || { echo "/usr/bin/chromium does not run" >&2; exit 1; }

step "Node.js and npm for the federation and browser tests"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
  fi
fi
for tool in node npm; do
  if ! command -v "${tool}" >/dev/null; then
    echo "${tool} is missing: the federation and GraphiQL browser tests need Node.js 20 or later with npm" >&2
    exit 1
  fi
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if (( node_major < 20 )); then
  echo "Node.js $(node --version) is too old: the federation and browser tests need Node.js 20 or later" >&2
  exit 1
fi
echo "node $(node --version), npm $(npm --version)"
# --- end of browser and Node.js ---

step "tests (SQLite and PostgreSQL)"
scripts/with-postgres.sh cargo test --locked --workspace --all-targets
