-- wrk script: POSTs one GraphQL query per request to /graphql, with a random
-- service and error code of a generated dataset, and writes a JSON summary.
--
-- Environment:
--   BENCH_QUERY     code | whole | typename
--   BENCH_SERVICES  a dataset's services.txt
--   BENCH_CODES     a dataset's codes.txt (or a part of it)
--   BENCH_ORDER     random (default) | sweep (every service and code in turn)
--   BENCH_OUT       file the JSON summary is appended to (one line)
--   BENCH_LABEL     JSON object text merged into the summary (what was measured)

local function lines(path)
  local out = {}
  local f = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in f:lines() do
    if #line > 0 then out[#out + 1] = line end
  end
  f:close()
  return out
end

-- The runbook fields asked for, shared with examples/first_ask.rs.
local FIELDS = (function()
  local f = assert(io.open("bench/runbook-fields.graphql", "r"), "run from the repository's root")
  local text = f:read("*a")
  f:close()
  return text
end)()

local QUERIES = {
  code = 'query($s: String!, $c: String) { runbook(serviceId: $s, errorCode: $c) {' .. FIELDS .. '} }',
  whole = 'query($s: String!) { runbook(serviceId: $s) {' .. FIELDS .. '} }',
  typename = '{ __typename }',
}

local kind = os.getenv("BENCH_QUERY") or "code"
local query = assert(QUERIES[kind], "BENCH_QUERY must be code, whole or typename")
local services, codes = {}, {}
local headers = { ["Content-Type"] = "application/json" }

local function json_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\n', '\\n') .. '"'
end

local encoded_query = json_string(query)

function init(args)
  services = lines(os.getenv("BENCH_SERVICES"))
  codes = lines(os.getenv("BENCH_CODES"))
  -- Each thread draws its own sequence; runs are repeatable.
  math.randomseed(1234 + #services)
end

local sweep = os.getenv("BENCH_ORDER") == "sweep"
local n = 0

-- Random, or (sweep) every service and code in turn: a warm-up that asks
-- every question of the working set once.
local function pick()
  if not sweep then
    return services[math.random(#services)], codes[math.random(#codes)]
  end
  n = n + 1
  return services[(math.floor((n - 1) / #codes) % #services) + 1], codes[((n - 1) % #codes) + 1]
end

function request()
  local body
  if kind == "typename" then
    body = '{"query":' .. encoded_query .. '}'
  else
    local s, c = pick()
    local vars = '{"s":"' .. s .. '"'
    if kind == "code" then
      vars = vars .. ',"c":"' .. c .. '"'
    end
    body = '{"query":' .. encoded_query .. ',"variables":' .. vars .. '}}'
  end
  return wrk.format("POST", "/graphql", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local out = string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,"mean_us":%.1f,' ..
    '"errors":%d,"non_2xx":%d,"label":%s}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean,
    e.connect + e.read + e.write + e.timeout, e.status, os.getenv("BENCH_LABEL") or "{}")
  local f = assert(io.open(os.getenv("BENCH_OUT"), "a"))
  f:write(out)
  f:close()
end
