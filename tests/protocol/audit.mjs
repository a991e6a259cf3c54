// The GraphQL-over-HTTP specification's server audits (graphql-http) against a
// running service:
//
//   node tests/protocol/audit.mjs http://127.0.0.1:PORT/graphql
//
// Prints one JSON line per audit: {"id", "name", "status", "reason"}, where
// status is "ok", "error" (a failed MUST), "warn" (a failed SHOULD) or
// "notice" (a failed MAY). tests/graphql_http.rs runs it (after `npm ci`) and
// judges the results. Talks to 127.0.0.1 only.

import { auditServer } from 'graphql-http';

const watchdog = setTimeout(() => {
  console.error('audit.mjs: gave up after 60 s');
  process.exit(2);
}, 60_000);
watchdog.unref();

const url = process.argv[2];
if (!url || !/^http:\/\/127\.0\.0\.1:\d+\/graphql$/.test(url)) {
  console.error('usage: node tests/protocol/audit.mjs http://127.0.0.1:PORT/graphql');
  process.exit(64);
}

const results = await auditServer({ url });
for (const { id, name, status, reason } of results) {
  console.log(JSON.stringify({ id, name, status, reason: reason ?? null }));
}
