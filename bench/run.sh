#!/usr/bin/env bash
# The read-path benchmark: one command, results in bench/results.md and
# bench/latency.svg (see docs/performance.md).
#
#   bench/run.sh
#
# For each store (SQLite, PostgreSQL) and each generated dataset it times the
# import, times the bare lineage query alone (`light-runbook-bench lineage`),
# then starts the release server pinned to core 0 and drives it with wrk
# pinned to core 1 over loopback: `{ __typename }` (the ceiling),
# `runbook(serviceId, errorCode)` and `runbook(serviceId)` with random services
# and codes, under load and one request at a time, with the server in three
# modes: caches on (the default: response cache over runbook cache), runbook
# cache only (`--response-cache-max-bytes 0`: every request executes its
# GraphQL), and caches off (`--cache-max-bytes 0`: the cold path); it records
# the server's peak RSS (VmHWM). Two incident rows follow, each on a fresh
# server per run (caches on, empty): "first ask" asks every service of the
# dataset once, in random order, for one code (bench/src/bin/first_ask.rs, pinned
# to core 1, stops after the last answer), with `{ __typename }` right after
# on the same server for the ratio; the alert
# storm sends STORM_ALERTS alerts for as many distinct services in one burst to
# POST /alerts (bench/src/bin/alert_storm.rs, pinned to core 1), with a new code per
# run so that no run joins another's executions. Cached runs ask about
# HOT_SERVICES services x HOT_CODES codes (an incident's working set, each
# question asked once first), plus one run over every service and code; cold
# runs spread over every service and code. Every figure is the
# median of REPEATS runs of DURATION seconds. PostgreSQL is a throwaway cluster
# from scripts/with-postgres.sh (pinned to core 0 with the server).
#
# Knobs (environment):
#   DATASETS     default "small medium tree30 large"; tree30 = medium with a
#                10x smaller platform tree (30 procedures)
#   STORES       default "sqlite postgres"
#   PG_DATASETS  datasets also run on PostgreSQL, default "small medium tree30 large"
#   DURATION     seconds per wrk run, default 5
#   REPEATS      runs per figure (median taken), default 3
#   CONNECTIONS  wrk connections under load, default 32
#   SEED         dataset seed, default 42
#   HOT_SERVICES services the cached runs ask about, default 20
#   HOT_CODES    codes the cached runs ask about, default 20 (every 5th code)
#   WARMUP       seconds of the warm-up sweep before cached runs, default 8
#   FIRST_ASK_DATASETS  datasets with the first-ask row, default "medium large"
#   STORM_DATASETS      datasets with the alert storm, default "small medium large"
#   STORM_ALERTS        alerts per storm (at most the dataset's services), default 1000
#   BENCH_WORK   scratch directory, default /tmp/light-runbook-bench
#   BENCH_BIN    use this light-runbook binary instead of building the release one
#   LOAD_BIN_DIR use the light-runbook-bench, alert_storm and first_ask binaries
#                of this directory instead of building them (release)
set -euo pipefail
cd "$(dirname "$0")/.."

DATASETS=${DATASETS:-"small medium tree30 large"}
STORES=${STORES:-"sqlite postgres"}
PG_DATASETS=${PG_DATASETS:-"small medium tree30 large"}
DURATION=${DURATION:-5}
REPEATS=${REPEATS:-3}
CONNECTIONS=${CONNECTIONS:-32}
SEED=${SEED:-42}
HOT_SERVICES=${HOT_SERVICES:-20}
HOT_CODES=${HOT_CODES:-20}
WARMUP=${WARMUP:-8}
FIRST_ASK_DATASETS=${FIRST_ASK_DATASETS:-"medium large"}
STORM_DATASETS=${STORM_DATASETS:-"small medium large"}
STORM_ALERTS=${STORM_ALERTS:-1000}
WORK=${BENCH_WORK:-/tmp/light-runbook-bench}
export DATASETS STORES PG_DATASETS DURATION REPEATS CONNECTIONS SEED HOT_SERVICES HOT_CODES WARMUP BENCH_WORK="$WORK"
export FIRST_ASK_DATASETS STORM_DATASETS STORM_ALERTS

log() { printf '\n==> %s\n' "$*" >&2; }

if [[ " $STORES " == *" postgres "* && -z "${RUNBOOK_TEST_POSTGRES_URL:-}" ]]; then
    exec scripts/with-postgres.sh "$0" "$@"
fi

if ! command -v wrk >/dev/null; then
    log "installing wrk (Debian package)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >&2 ||
        { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >&2; }
fi
if [[ $(nproc) -lt 2 ]]; then
    echo "bench/run.sh needs 2 cores (server and load generator pinned apart)" >&2
    exit 1
fi

if [[ -n "${BENCH_BIN:-}" ]]; then
    BIN=$BENCH_BIN # a prebuilt binary (e.g. a debug build to try the script)
else
    log "building the release binary (once)"
    cargo build --release --locked --bin light-runbook >&2
    BIN=$PWD/target/release/light-runbook
fi
if [[ -n "${LOAD_BIN_DIR:-}" ]]; then
    LOAD=$LOAD_BIN_DIR
else
    log "building the benchmark's tools: datasets, lineage timing, load generators (bench/, release)"
    cargo build --release --locked -p light-runbook-bench --bins >&2
    LOAD=$PWD/target/release
fi
TOOLS=$LOAD/light-runbook-bench
STORM=$LOAD/alert_storm
FIRST_ASK=$LOAD/first_ask

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
export LOAD_BEFORE
mkdir -p "$WORK"
RESULTS=$WORK/results.jsonl
: >"$RESULTS"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Appends one JSON line to the results.
record() { echo "$1" >>"$RESULTS"; }

generate() { # dataset -> directory
    local name=$1 dir=$WORK/data/$1 args
    case $name in
        small | medium | large) args=(--size "$name") ;;
        tree30) args=(--size medium --procedures 30) ;;
        *) echo "unknown dataset $name" >&2; exit 1 ;;
    esac
    rm -rf "$dir"
    "$TOOLS" generate "${args[@]}" --seed "$SEED" --out "$dir" >&2
    # HOT_SERVICES services spread evenly over the dataset.
    awk -v n="$(wc -l <"$dir/services.txt")" -v k="$HOT_SERVICES" \
        'BEGIN { step = int(n / k); if (step < 1) step = 1 } (NR - 1) % step == 0 && c < k { print; c++ }' \
        "$dir/services.txt" >"$dir/hot.txt"
    awk -v k="$HOT_CODES" 'NR % 5 == 1 && c < k { print; c++ }' "$dir/codes.txt" >"$dir/hot-codes.txt"
    echo "$dir"
}

store_url() { # store dataset -> URL of a fresh, empty store
    local store=$1 name=$2
    if [[ $store == sqlite ]]; then
        mkdir -p "$WORK/db"
        rm -f "$WORK/db/$name.db" "$WORK/db/$name.db-wal" "$WORK/db/$name.db-shm"
        echo "sqlite://$WORK/db/$name.db"
    else
        local db="bench_$name"
        psql -q "$RUNBOOK_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >&2
        python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
            "$RUNBOOK_TEST_POSTGRES_URL" "$db"
    fi
}

pin_postgres() { # the throwaway cluster's postmaster (and the backends it forks later) to core 0
    local datadir pid
    datadir=$(psql -qtA "$RUNBOOK_TEST_POSTGRES_URL" -c "SHOW data_directory")
    pid=$(head -1 "$datadir/postmaster.pid")
    taskset -a -p -c 0 "$pid" >/dev/null
}

SERVER_PID=""
stop_server() {
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
trap stop_server EXIT

start_server() { # url cache_bytes response_cache_bytes -> sets SERVER_PID, PORT
    PORT=$(free_port)
    RUST_LOG=warn taskset -c 0 "$BIN" serve --no-demo --store "$1" --listen "127.0.0.1:$PORT" \
        --cache-max-bytes "$2" --response-cache-max-bytes "$3" --store-max-connections 8 \
        >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && return
        sleep 0.1
    done
    echo "the server did not become ready; its log:" >&2
    cat "$WORK/server.log" >&2
    exit 1
}

preflight() { # dir: a few real requests must answer without GraphQL errors
    local dir=$1 s c out
    s=$(sed -n '7p' "$dir/services.txt")
    c=$(sed -n '3p' "$dir/codes.txt")
    out=$(curl -fsS "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' \
        -d "{\"query\":\"{ runbook(serviceId: \\\"$s\\\", errorCode: \\\"$c\\\") { entry procedures { key } } }\"}")
    if [[ $out == *'"errors"'* || $out != *'"entry"'* ]]; then
        echo "preflight failed: $out" >&2
        exit 1
    fi
}

measure() { # dir label_json query connections services_file
    local dir=$1 label=$2 query=$3 conns=$4 services=$5 r
    for r in $(seq 1 "$REPEATS"); do
        BENCH_QUERY=$query BENCH_SERVICES=$dir/$services BENCH_CODES=$dir/${CODES_FILE:-codes.txt} \
            BENCH_OUT=$RESULTS BENCH_LABEL="${label%\}},\"query\":\"$query\",\"connections\":$conns,\"run\":${RUN:-$r}}" \
            taskset -c 1 wrk -t1 -c"$conns" -d"${DURATION}s" --timeout 10s -s bench/wrk.lua \
            "http://127.0.0.1:$PORT/graphql" >/dev/null
    done
}

first_ask() { # dir base_json url: every service once, random order, one code, empty caches
    local dir=$1 base=$2 url=$3 r label code
    shuf --random-source=<(yes "$SEED") "$dir/services.txt" >"$dir/shuffled.txt"
    code=$(sed -n '1p' "$dir/codes.txt")
    label="$base,\"kind\":\"wrk\",\"cache\":\"on\",\"spread\":\"first\""
    for r in $(seq 1 "$REPEATS"); do
        log "first ask, run $r"
        start_server "$url" 67108864 16777216
        taskset -c 1 "$FIRST_ASK" "http://127.0.0.1:$PORT" "$dir/shuffled.txt" "$code" "$CONNECTIONS" \
            "$RESULTS" "$label,\"query\":\"code\",\"connections\":$CONNECTIONS,\"run\":$r}" >/dev/null
        RUN=$r REPEATS=1 measure "$dir" "$label}" typename "$CONNECTIONS" services.txt
        record "$base,\"kind\":\"rss\",\"cache\":\"first\",\"vmhwm_kb\":$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")}"
        stop_server
    done
}

storm() { # dir base_json url: STORM_ALERTS alerts for distinct services in one burst
    local dir=$1 base=$2 url=$3 r code
    shuf --random-source=<(yes "$SEED") "$dir/services.txt" >"$dir/shuffled.txt"
    for r in $(seq 1 "$REPEATS"); do
        log "alert storm, run $r"
        code=$(sed -n "$((r + 1))p" "$dir/codes.txt")
        start_server "$url" 67108864 16777216
        taskset -c 1 "$STORM" "http://127.0.0.1:$PORT" "$dir/shuffled.txt" "$code" "$STORM_ALERTS" \
            "$RESULTS" "$base,\"kind\":\"storm\",\"run\":$r}" >/dev/null
        stop_server
    done
}

bench_one() { # store dataset
    local store=$1 name=$2 dir url started import_s label cache
    dir=$(generate "$name")
    url=$(store_url "$store" "$name")
    log "$store / $name: import"
    started=$(date +%s%N)
    "$BIN" import --store "$url" "$dir" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; exit 1; }
    import_s=$(python3 -c "print(round(($(date +%s%N) - $started) / 1e9, 2))")
    local base="{\"store\":\"$store\",\"dataset\":\"$name\""
    record "$base,\"kind\":\"import\",\"seconds\":$import_s,\"services\":$(wc -l <"$dir/services.txt"),\"yaml_bytes\":$(du -sb "$dir" | cut -f1)}"
    [[ $store == postgres ]] && pin_postgres
    log "$store / $name: bare lineage query"
    record "$base,\"kind\":\"bare\",\"result\":$(RUST_LOG=error taskset -c 0 "$TOOLS" lineage --store "$url" \
        --services "$dir/services.txt" --codes "$dir/codes.txt" --count "${BARE_COUNT:-3000}")}"
    for cache in on runbook off; do
        log "$store / $name: cache $cache"
        case $cache in
            on) start_server "$url" 67108864 16777216 ;;
            runbook) start_server "$url" 67108864 0 ;;
            off) start_server "$url" 0 0 ;;
        esac
        preflight "$dir"
        label="$base,\"kind\":\"wrk\",\"cache\":\"$cache\"}"
        if [[ $cache == on ]]; then
            # The incident: HOT_SERVICES services x HOT_CODES codes asked at random,
            # after a warm-up that asks each of these questions once. The ceiling
            # and the cached queries alternate, so that each ratio compares runs
            # made under the same conditions on this shared machine.
            for q in code whole; do
                BENCH_ORDER=sweep REPEATS=1 DURATION=$WARMUP CODES_FILE=hot-codes.txt \
                    measure "$dir" "${label%\}},\"warmup\":true}" "$q" 1 hot.txt
            done
            for r in $(seq 1 "$REPEATS"); do
                for conns in "$CONNECTIONS" 1; do
                    RUN=$r REPEATS=1 measure "$dir" "$label" typename "$conns" services.txt
                    for q in code whole; do
                        RUN=$r REPEATS=1 CODES_FILE=hot-codes.txt measure "$dir" "$label" "$q" "$conns" hot.txt
                    done
                done
            done
            # Every service at random: mostly misses once the dataset outgrows the cache.
            measure "$dir" "${label%\}},\"spread\":\"all\"}" code "$CONNECTIONS" services.txt
        elif [[ $cache == runbook ]]; then
            # The same incident with every request executing its GraphQL over
            # the runbook cache: what the response cache saves.
            BENCH_ORDER=sweep REPEATS=1 DURATION=$WARMUP CODES_FILE=hot-codes.txt \
                measure "$dir" "${label%\}},\"warmup\":true}" code 1 hot.txt
            for conns in "$CONNECTIONS" 1; do
                CODES_FILE=hot-codes.txt measure "$dir" "$label" code "$conns" hot.txt
            done
        else
            for q in code whole; do
                measure "$dir" "$label" "$q" "$CONNECTIONS" services.txt
                measure "$dir" "$label" "$q" 1 services.txt
            done
        fi
        record "$base,\"kind\":\"rss\",\"cache\":\"$cache\",\"vmhwm_kb\":$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")}"
        stop_server
    done
    if [[ " $FIRST_ASK_DATASETS " == *" $name "* ]]; then first_ask "$dir" "$base" "$url"; fi
    if [[ " $STORM_DATASETS " == *" $name "* ]]; then storm "$dir" "$base" "$url"; fi
    [[ $store == sqlite ]] && rm -f "$WORK/db/$name.db"*
    [[ $store == postgres ]] && psql -q "$RUNBOOK_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS bench_$name WITH (FORCE)" >&2
    return 0
}

for store in $STORES; do
    for name in $DATASETS; do
        if [[ $store == postgres && " $PG_DATASETS " != *" $name "* ]]; then continue; fi
        bench_one "$store" "$name"
    done
done

log "writing bench/results.md and bench/latency.svg"
python3 bench/report.py "$RESULTS" bench/results.md bench/latency.svg
cp "$RESULTS" bench/results.jsonl
echo "done: bench/results.md, bench/latency.svg" >&2
