#!/usr/bin/env python3
"""Turns bench/run.sh's JSON lines into bench/results.md and bench/latency.svg.

Usage: bench/report.py RESULTS.jsonl OUT.md OUT.svg   (python3 standard library only)
"""

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
from collections import defaultdict

SIZES = {"small": 100, "medium": 5000, "large": 50000}
ORDER = ["small", "medium", "tree30", "large"]
CONNECTIONS = os.environ.get("CONNECTIONS", "32")


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])

    def version(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, check=False)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return "unknown"

    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": f"{mem_kb / 1024 / 1024:.0f} GiB",
        "kernel": platform.release(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "wrk": version(["wrk", "--version"]),
        "rustc": version(["rustc", "--version"]),
    }


class Results:
    def __init__(self, rows):
        self.runs = defaultdict(list)
        self.bare, self.imports, self.rss = {}, {}, defaultdict(dict)
        self.storms = defaultdict(list)
        for r in rows:
            key = (r.get("store"), r.get("dataset"))
            if "label" in r:
                lab = r["label"]
                if lab.get("warmup"):
                    continue
                query = lab["query"] + (f"-{lab['spread']}" if lab.get("spread") else "")
                k = (lab["store"], lab["dataset"], lab["cache"], query, lab["connections"])
                self.runs[k].append(r)
            elif r["kind"] == "bare":
                self.bare[key] = r["result"]
            elif r["kind"] == "import":
                self.imports[key] = r
            elif r["kind"] == "storm":
                self.storms[key].append(r)
            elif r["kind"] == "rss":
                self.rss[key][r["cache"]] = r["vmhwm_kb"]
        self.stores = [s for s in ("sqlite", "postgres") if any(k[0] == s for k in self.imports)]

    def datasets(self, store):
        return [d for d in ORDER if (store, d) in self.imports]

    def get(self, store, dataset, cache, query, conns, field):
        runs = self.runs.get((store, dataset, cache, query, int(conns)))
        if not runs:
            return None
        return statistics.median(r[field] for r in runs)

    def storm(self, store, dataset, field):
        runs = [r[field] for r in self.storms.get((store, dataset), []) if r.get(field) is not None]
        return statistics.median(runs) if runs else None

    def storm_lost(self, store, dataset):
        """Alerts refused or not accounted for over every storm run, each alert counted once:
        answered neither started nor joined (a refusal included), in an execution of another
        service, or missing from the executions' alert counts (None when there was no storm)."""
        runs = self.storms.get((store, dataset))
        if not runs:
            return None
        return sum(max(r["alerts"] - r["started"] - r["joined"], r["failed"]) + r["wrong_service"]
                   + abs(r["executions"] - r["started"]) + abs(r["alert_count_sum"] - r["started"] - r["joined"])
                   for r in runs)

    def errors(self):
        return sum(r["errors"] + r["non_2xx"] for runs in self.runs.values() for r in runs)


def ms(us):
    return "–" if us is None else f"{us / 1000:.2f}"


def cell(res, store, ds, cache, query, conns):
    rps = res.get(store, ds, cache, query, conns, "rps")
    if rps is None:
        return "–"
    p50 = res.get(store, ds, cache, query, conns, "p50_us")
    p99 = res.get(store, ds, cache, query, conns, "p99_us")
    return f"{rps:,.0f} ({ms(p50)} / {ms(p99)})"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def verdict(value, limit, higher_is_better=False):
    if value is None:
        return "not measured"
    ok = value >= limit if higher_is_better else value <= limit
    return ("met" if ok else "**missed**") + f" ({value:.2f})"


def incident_targets(res):
    """The targets of the incident: first ask, cold and cached throughput, the alert storm."""
    out = []
    for store in res.stores:
        if "large" in res.datasets(store):
            top = res.get(store, "large", "on", "typename-first", CONNECTIONS, "rps")
            first = res.get(store, "large", "on", "code-first", CONNECTIONS, "rps")
            p99 = res.get(store, "large", "on", "code-first", CONNECTIONS, "p99_us")
            r = ratio(first, top)
            ok = r is not None and p99 is not None and r >= 0.2 and p99 < 20000
            out.append(f"| first ask over `large` ≥ 0.2 × `{{ __typename }}` req/s, p99 < 20 ms | {store} | "
                       f"{first or 0:,.0f} vs {top or 0:,.0f} req/s, p99 {ms(p99)} ms | "
                       + ("not measured" if r is None or p99 is None else ("met" if ok else "**missed**") + f" ({r:.2f})")
                       + " |")
    for store in res.stores:
        for ds in res.datasets(store):
            top = res.get(store, ds, "on", "typename", CONNECTIONS, "rps")
            cold = res.get(store, ds, "off", "code", CONNECTIONS, "rps")
            out.append(f"| cold `runbook(serviceId, errorCode)` req/s ≥ 0.05 × `{{ __typename }}` | {store} / {ds} | "
                       f"{cold or 0:,.0f} vs {top or 0:,.0f} req/s | {verdict(ratio(cold, top), 0.05, True)} |")
    if "postgres" in res.stores:
        for ds in res.datasets("postgres"):
            top = res.get("postgres", ds, "on", "typename", CONNECTIONS, "rps")
            code = res.get("postgres", ds, "on", "code", CONNECTIONS, "rps")
            out.append(f"| cached `runbook(serviceId, errorCode)` on PostgreSQL ≥ 0.8 × `{{ __typename }}` | "
                       f"postgres / {ds} | {code or 0:,.0f} vs {top or 0:,.0f} req/s | "
                       f"{verdict(ratio(code, top), 0.8, True)} |")
    for store in res.stores:
        for ds in res.datasets(store):
            rate, lost = res.storm(store, ds, "alerts_per_s"), res.storm_lost(store, ds)
            if rate is None:
                continue
            alerts = res.storm(store, ds, "alerts")
            target = "≥ 1,000 alerts/s, none refused or lost" if store == "sqlite" else "none refused or lost (no rate target)"
            ok = lost == 0 and (store != "sqlite" or rate >= 1000)
            out.append(f"| alert storm ({alerts:,.0f} alerts, distinct services, one burst): {target} | "
                       f"{store} / {ds} | {rate:,.0f} alerts/s, {lost} refused or lost | {'met' if ok else '**missed**'} |")
    return out


def targets(res):
    out = ["| target | store | measured | verdict |", "|---|---|---|---|"]
    out += incident_targets(res)
    for store in res.stores:
        for ds in res.datasets(store):
            top = res.get(store, ds, "on", "typename", CONNECTIONS, "rps")
            code = res.get(store, ds, "on", "code", CONNECTIONS, "rps")
            out.append(f"| cached `runbook(serviceId, errorCode)` req/s ≥ 0.5 × `{{ __typename }}` | {store} / {ds} | "
                       f"{code or 0:,.0f} vs {top or 0:,.0f} req/s | {verdict(ratio(code, top), 0.5, True)} |")
    for store in res.stores:
        for ds in res.datasets(store):
            bare = (res.bare.get((store, ds)) or {}).get("lineage_documents") or {}
            cold = res.get(store, ds, "off", "code", 1, "p50_us")
            out.append(f"| cold `runbook(serviceId, errorCode)` p50 ≤ 2 × bare lineage query p50 (1 connection) | "
                       f"{store} / {ds} | {ms(cold)} vs {ms(bare.get('p50_us'))} ms | "
                       f"{verdict(ratio(cold, bare.get('p50_us')), 2.0)} |")
    for store in res.stores:
        for cache in ("on", "off"):
            a = res.get(store, "medium", cache, "code", 1, "p50_us")
            b = res.get(store, "large", cache, "code", 1, "p50_us")
            if b is not None:
                out.append(f"| 10× services (medium → large): p50 ≤ 1.5× | {store}, cache {cache} | "
                           f"{ms(a)} → {ms(b)} ms | {verdict(ratio(b, a), 1.5)} |")
    for store in res.stores:
        for cache in ("on", "off"):
            for q in ("code", "whole"):
                a = res.get(store, "tree30", cache, q, 1, "p50_us")
                b = res.get(store, "medium", cache, q, 1, "p50_us")
                if a is not None and b is not None:
                    out.append(f"| 10× tree (30 → 300 procedures), `{q}`: p50 ≤ 12× | {store}, cache {cache} | "
                               f"{ms(a)} → {ms(b)} ms | {verdict(ratio(b, a), 12.0)} |")
    for store in res.stores:
        if "large" in res.datasets(store):
            peak = max(res.rss[(store, "large")].values(), default=0) / 1024
            out.append(f"| server RSS on `large` < 500 MB | {store} | {peak:.0f} MB | "
                       f"{'met' if peak < 500 else '**missed**'} |")
    return out


def tables(res, md):
    md += ["", f"### Throughput under load ({CONNECTIONS} connections): req/s (p50 / p99 ms)", "",
           "| store | dataset | `{ __typename }` | code, cached | whole, cached | code, runbook cache only "
           "| code, cache on, all services | code, cold | whole, cold |",
           "|---|---|---|---|---|---|---|---|---|"]
    for s in res.stores:
        for d in res.datasets(s):
            md.append(f"| {s} | {d} | {cell(res, s, d, 'on', 'typename', CONNECTIONS)} | "
                      f"{cell(res, s, d, 'on', 'code', CONNECTIONS)} | {cell(res, s, d, 'on', 'whole', CONNECTIONS)} | "
                      f"{cell(res, s, d, 'runbook', 'code', CONNECTIONS)} | "
                      f"{cell(res, s, d, 'on', 'code-all', CONNECTIONS)} | "
                      f"{cell(res, s, d, 'off', 'code', CONNECTIONS)} | {cell(res, s, d, 'off', 'whole', CONNECTIONS)} |")
    md += ["", "### One request at a time (1 connection): p50 / p99 latency, ms", "",
           "| store | dataset | `{ __typename }` | code, cached | whole, cached | code, runbook cache only "
           "| code, cold | whole, cold | bare lineage query | `lineage_at` | resolve (code) | resolve (whole) |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in res.stores:
        for d in res.datasets(s):
            def lat(cache, q):
                return f"{ms(res.get(s, d, cache, q, 1, 'p50_us'))} / {ms(res.get(s, d, cache, q, 1, 'p99_us'))}"
            bare = res.bare.get((s, d)) or {}

            def b(name):
                x = bare.get(name) or {}
                return f"{ms(x.get('p50_us'))} / {ms(x.get('p99_us'))}"
            md.append(f"| {s} | {d} | {lat('on', 'typename')} | {lat('on', 'code')} | {lat('on', 'whole')} | "
                      f"{lat('runbook', 'code')} | {lat('off', 'code')} | {lat('off', 'whole')} | {b('lineage_documents')} | {b('lineage_at')} | "
                      f"{b('resolve_error_code')} | {b('resolve_whole')} |")
    md += ["", f"### The incident: first ask ({CONNECTIONS} connections) and the alert storm", "",
           "| store | dataset | first ask: req/s (p50 / p99 ms) | `{ __typename }`, same servers | ratio "
           "| storm: alerts/s | alert → first step p50 / p99 ms | started / joined / failed | executions / alerts |",
           "|---|---|---|---|---|---|---|---|---|"]
    for s in res.stores:
        for d in res.datasets(s):
            first = res.get(s, d, "on", "code-first", CONNECTIONS, "rps")
            rate = res.storm(s, d, "alerts_per_s")
            if first is None and rate is None:
                continue
            top = res.get(s, d, "on", "typename-first", CONNECTIONS, "rps")
            r = ratio(first, top)

            def st(field, fmt="{:,.0f}"):
                v = res.storm(s, d, field)
                return "–" if v is None else fmt.format(v)
            md.append(f"| {s} | {d} | {cell(res, s, d, 'on', 'code-first', CONNECTIONS)} | "
                      f"{cell(res, s, d, 'on', 'typename-first', CONNECTIONS)} | {'–' if r is None else f'{r:.2f}'} | "
                      f"{st('alerts_per_s')} | {st('first_step_p50_ms')} / {st('first_step_p99_ms')} | "
                      f"{st('started')} / {st('joined')} / {st('failed')} | {st('executions')} / {st('alerts')} |")
    md += ["", "### Import time and peak server memory", "",
           "| store | dataset | services | YAML | import | peak RSS, cache on | peak RSS, cache off |",
           "|---|---|---|---|---|---|---|"]
    for s in res.stores:
        for d in res.datasets(s):
            imp, rss = res.imports[(s, d)], res.rss[(s, d)]
            md.append(f"| {s} | {d} | {imp['services']:,} | {imp['yaml_bytes'] / 1e6:.1f} MB | {imp['seconds']:.1f} s | "
                      f"{rss.get('on', 0) / 1024:.0f} MB | {rss.get('off', 0) / 1024:.0f} MB |")


def report(res, path):
    m = machine()
    knobs = " ".join(f"{k}={os.environ[k]}" for k in
                     ("DATASETS", "STORES", "PG_DATASETS", "DURATION", "REPEATS", "CONNECTIONS", "SEED", "HOT_SERVICES", "HOT_CODES",
                      "FIRST_ASK_DATASETS", "STORM_DATASETS", "STORM_ALERTS")
                     if k in os.environ)
    md = ["# Read-path benchmark results", "",
          "Made by `bench/run.sh` (see [docs/performance.md](../docs/performance.md)); every figure is the "
          "median of the repeated runs. Server pinned to core 0 (`taskset -c 0`, PostgreSQL with it), wrk "
          "pinned to core 1, loopback only.", "",
          f"- command: `{knobs} bench/run.sh`",
          f"- machine: {m['cores']} cores, {m['cpu']}, {m['memory']} memory, Linux {m['kernel']}",
          f"- date: {m['date']}; {m['wrk']}; {m['rustc']}",
          f"- load average of the machine (shared with other work) before / after: "
          f"{os.environ.get('LOAD_BEFORE', '?')} / {open('/proc/loadavg').read().split()[0]}",
          f"- failed requests (socket errors or non-2xx) over all runs: {res.errors()}",
          *([f"- note: {os.environ['BENCH_NOTE']}"] if os.environ.get("BENCH_NOTE") else []),
          "", "Datasets: `small` 100, `medium` 5,000, `large` 50,000 services, all with the same platform tree "
          "(300 procedures, 600 branches, 100 error codes); `tree30` is `medium` with a 30-procedure tree. "
          "`code` = `runbook(serviceId, errorCode)`, `whole` = `runbook(serviceId)`, random service and code "
          "per request; cold = caches off (`--cache-max-bytes 0`), over every service; cached = the default "
          "server (response cache, 16 MiB, over the runbook cache, 64 MiB) over "
          f"{os.environ.get('HOT_SERVICES', '20')} services spread over the dataset and "
          f"{os.environ.get('HOT_CODES', '20')} codes (an incident's working set), after a warm-up that asks each "
          "of these questions once; *runbook cache only* is the same with `--response-cache-max-bytes 0` "
          "(every request executes its GraphQL over a cached resolved runbook); *code, cache on, all services* "
          "asks about every service and code at random, a working set that outgrows the caches from `medium` "
          "on (mostly misses: the cold path plus the check). *First ask*: every service asked once for one "
          "code, in random order, by `bench/src/bin/first_ask.rs` (one request per connection at a time, stopping "
          "after the last answer) on a fresh server per run (caches on, empty), `{ __typename }` measured "
          "right after on the same server with wrk. *Alert storm*: one light-4j alert per distinct service, all sent at once "
          "to `POST /alerts` by `bench/src/bin/alert_storm.rs` on a fresh server per run; alert → first step is from "
          "each alert's sending to the `at` of its execution's first `ENTERED` event; every alert must be "
          "answered STARTED or JOINED and land in an execution of its own service.",
          "", "## Targets", ""]
    md += targets(res)
    tables(res, md)
    md += ["", "![p50 latency against dataset size](latency.svg)", ""]
    with open(path, "w") as f:
        f.write("\n".join(md))


def svg(res, path):
    import math
    series = []
    colors = {"sqlite": ["#1f77b4", "#6baed6", "#9ecae1", "#08306b"],
              "postgres": ["#d62728", "#fb6a4a", "#fcae91", "#67000d"]}
    for s in res.stores:
        pts = {"code, cached": [], "code, cold": [], "bare lineage query": [], "{ __typename }": []}
        for d in ("small", "medium", "large"):
            if (s, d) not in res.imports:
                continue
            n = SIZES[d]
            for name, v in (("code, cached", res.get(s, d, "on", "code", 1, "p50_us")),
                            ("code, cold", res.get(s, d, "off", "code", 1, "p50_us")),
                            ("bare lineage query",
                             ((res.bare.get((s, d)) or {}).get("lineage_documents") or {}).get("p50_us")),
                            ("{ __typename }", res.get(s, d, "on", "typename", 1, "p50_us"))):
                if v:
                    pts[name].append((n, v / 1000))
        for i, (name, p) in enumerate(pts.items()):
            if p:
                series.append((f"{s}: {name}", colors[s][i], p))
    W, H, L, R, T, B = 760, 420, 70, 250, 40, 50
    ys = [y for _, _, p in series for _, y in p] or [1]
    y_lo, y_hi = 10 ** math.floor(math.log10(min(ys))), 10 ** math.ceil(math.log10(max(ys)))
    x_lo, x_hi = math.log10(50), math.log10(100000)

    def px(x):
        return L + (math.log10(x) - x_lo) / (x_hi - x_lo) * (W - L - R)

    def py(y):
        return T + (1 - (math.log10(y) - math.log10(y_lo)) / (math.log10(y_hi) - math.log10(y_lo))) * (H - T - B)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{L}" y="22" font-size="14">p50 latency, one request at a time, against services in the dataset</text>']
    decade = y_lo
    while decade <= y_hi * 1.0001:
        out.append(f'<line x1="{L}" x2="{W - R}" y1="{py(decade):.1f}" y2="{py(decade):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{L - 6}" y="{py(decade) + 4:.1f}" text-anchor="end">{decade:g} ms</text>')
        decade *= 10
    for n in SIZES.values():
        out.append(f'<line x1="{px(n):.1f}" x2="{px(n):.1f}" y1="{T}" y2="{H - B}" stroke="#eee"/>')
        out.append(f'<text x="{px(n):.1f}" y="{H - B + 16}" text-anchor="middle">{n:,}</text>')
    out.append(f'<text x="{(L + W - R) / 2}" y="{H - 12}" text-anchor="middle">services (log scale)</text>')
    for i, (name, color, p) in enumerate(series):
        dash = ' stroke-dasharray="5,4"' if "cold" in name or "bare" in name else ""
        pts = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in p)
        out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"{dash}/>')
        for x, y in p:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{color}"/>')
        ly = T + 10 + i * 18
        out.append(f'<line x1="{W - R + 15}" x2="{W - R + 40}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{W - R + 46}" y="{ly + 4}">{name}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    results = Results(load(sys.argv[1]))
    report(results, sys.argv[2])
    svg(results, sys.argv[3])
