#!/usr/bin/env bash
# Runs CMD [ARGS...] with RUNBOOK_TEST_POSTGRES_URL pointing at PostgreSQL.
#
# If RUNBOOK_TEST_POSTGRES_URL is already set, CMD just runs against it.
# Otherwise this starts a throwaway cluster: the newest server binaries under
# /usr/lib/postgresql/*/bin (installing Debian's `postgresql` package if there
# are none), a temporary data directory, trust authentication, no fsync, a free
# port on 127.0.0.1. The cluster is stopped and its data deleted on exit,
# whether CMD succeeds, fails or is interrupted. Exits with CMD's status.
#
#   scripts/with-postgres.sh cargo test --test store_postgres
set -euo pipefail

log() { echo "with-postgres: $*" >&2; }

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

if [[ -n "${RUNBOOK_TEST_POSTGRES_URL:-}" ]]; then
    exec "$@"
fi

# The bin directory of the newest installed PostgreSQL server, or nothing.
newest_bindir() {
    local dir
    for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            echo "$dir"
            return
        fi
    done
}

install_postgres() {
    log "no PostgreSQL server binaries under /usr/lib/postgresql; installing Debian's postgresql package"
    if [[ $(id -u) -ne 0 ]]; then
        log "cannot install PostgreSQL: apt-get needs root (running as $(id -un)); install the postgresql package or set RUNBOOK_TEST_POSTGRES_URL"
        exit 1
    fi
    if ! DEBIAN_FRONTEND=noninteractive apt-get update >&2; then
        log "cannot install PostgreSQL: 'apt-get update' failed (see above)"
        exit 1
    fi
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2; then
        log "cannot install PostgreSQL: 'apt-get install postgresql' failed (see above)"
        exit 1
    fi
}

# A TCP port on 127.0.0.1 that nothing listens on.
free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
        return
    fi
    local port attempt
    for attempt in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    log "cannot find a free port on 127.0.0.1"
    exit 1
}

bindir=$(newest_bindir)
if [[ -z "$bindir" ]]; then
    install_postgres
    bindir=$(newest_bindir)
    if [[ -z "$bindir" ]]; then
        log "the postgresql package is installed but no server binaries are under /usr/lib/postgresql/*/bin"
        exit 1
    fi
fi

# initdb and the server refuse to run as root: run them as `postgres` then.
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
    if ! id postgres >/dev/null 2>&1; then
        log "running as root but there is no 'postgres' user to run the server as"
        exit 1
    fi
    as_owner=(runuser -u postgres --)
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/runbook-pg.XXXXXX")
pgdata="$workdir/data"
started=""

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -n "$started" ]]; then
        "${as_owner[@]}" "$bindir/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$workdir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -m 700 "$pgdata"
if [[ ${#as_owner[@]} -gt 0 ]]; then
    chown -R postgres: "$workdir"
fi

if ! "${as_owner[@]}" "$bindir/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --no-sync \
    >"$workdir/initdb.log" 2>&1; then
    log "initdb failed:"
    cat "$workdir/initdb.log" >&2
    exit 1
fi

port=$(free_port)
if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $pgdata -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null; then
    log "the server did not start; its log:"
    cat "$pgdata/server.log" >&2 || true
    exit 1
fi
started=yes

if ! "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30; then
    log "the server started but does not accept connections on 127.0.0.1:$port"
    cat "$pgdata/server.log" >&2 || true
    exit 1
fi

version=$("$bindir/postgres" --version)
log "started PostgreSQL ${version#*(PostgreSQL) } from $bindir on 127.0.0.1:$port (data in $pgdata)"

export RUNBOOK_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
set +e
"$@"
status=$?
set -e
exit "$status"
