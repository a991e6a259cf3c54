// light-runbook as a subgraph of the light-portal's supergraph, end to end:
//
//   RUNBOOK_TOKEN=<bearer token> node tests/federation/run.mjs http://127.0.0.1:PORT/graphql
//
// 1. reads the running service's subgraph SDL (`_service { sdl }`);
// 2. starts a stand-in for the portal: a small subgraph (@apollo/subgraph) that
//    owns `Service @key(fields: "host serviceId") { host serviceId displayName }`,
//    `Query.services` and `Query.incidents` (incidents point at services and at
//    error codes by key);
// 3. composes both into a supergraph with the official composition library
//    (@apollo/composition) and serves it through an Apollo gateway
//    (@apollo/gateway on @apollo/server), as docs/portal.md configures it;
// 4. sends queries through the gateway that reach runbook data through entity
//    references, and checks them against what the service answers directly.
//    The service may require a token for reads (RUNBOOK_TOKEN, sent as a bearer
//    token): the gateway forwards the caller's Authorization header to it.
//
// Everything listens on and talks to 127.0.0.1 only. Exits non-zero on the first
// failed check; tests/federation.rs runs it (after `npm ci`).

import assert from 'node:assert/strict';
import { parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';

const watchdog = setTimeout(() => {
  console.error('run.mjs: gave up after 120 s');
  process.exit(2);
}, 120_000);
watchdog.unref();

const runbookUrl = process.argv[2];
if (!runbookUrl || !/^http:\/\/127\.0\.0\.1:\d+\/graphql$/.test(runbookUrl)) {
  console.error('usage: node tests/federation/run.mjs http://127.0.0.1:PORT/graphql');
  process.exit(64);
}

const TOKEN = process.env.RUNBOOK_TOKEN;
const HOST = 'lightapi.net';
const LEDGER = 'com.acme.payments.ledger-1.0.0';
const CATALOG = 'com.acme.retail.catalog-1.0.0';
const UNKNOWN = 'com.acme.portal.only-1.0.0'; // known to the portal, not to the runbooks

// ---------------------------------------------------------------- the portal

const PORTAL_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])

  type Query {
    services: [Service!]!
    incidents: [PortalIncident!]!
  }

  type Service @key(fields: "host serviceId") {
    host: String!
    serviceId: String!
    displayName: String!
  }

  type PortalIncident {
    id: ID!
    service: Service!
    errorCode: ErrorCode
  }

  type ErrorCode @key(fields: "host code", resolvable: false) {
    host: String!
    code: String!
  }
`;

const SERVICES = [
  { host: HOST, serviceId: LEDGER, displayName: 'Ledger' },
  { host: HOST, serviceId: CATALOG, displayName: 'Catalog' },
  { host: HOST, serviceId: UNKNOWN, displayName: 'Portal-only service' },
];
const serviceByKey = (ref) =>
  SERVICES.find((s) => s.host === ref.host && s.serviceId === ref.serviceId) ?? null;
const INCIDENTS = [
  { id: 'INC-1', service: SERVICES[0], errorCode: { host: HOST, code: 'ERR10001' } },
  { id: 'INC-2', service: SERVICES[1], errorCode: { host: HOST, code: 'ERR10001' } },
];

const portalSchema = buildSubgraphSchema([
  {
    typeDefs: parse(PORTAL_SDL),
    resolvers: {
      Query: { services: () => SERVICES, incidents: () => INCIDENTS },
      Service: { __resolveReference: serviceByKey },
    },
  },
]);

// ---------------------------------------------------------------- helpers

async function post(url, query, variables = {}, { token = TOKEN } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${url} answered ${response.status} with non-JSON: ${text.slice(0, 500)}`);
  }
  return body;
}

async function data(url, query, variables) {
  const body = await post(url, query, variables);
  if (body.errors) {
    throw new Error(`${url}: errors for ${query}:\n${JSON.stringify(body.errors, null, 2)}`);
  }
  return body.data;
}

const listen = { port: 0, host: '127.0.0.1' };
const stoppers = [];
let checks = 0;
function check(name) {
  checks += 1;
  console.log(`ok ${checks} - ${name}`);
}

// The caller's credentials go on to the subgraphs, as docs/portal.md's gateway
// configuration does it; every request is also recorded here.
const FORWARDED = ['authorization', 'cookie', 'x-csrf-token'];
const sent = [];
class ForwardCredentials extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    sent.push({ subgraph: this.name, query: request.query, variables: request.variables });
    for (const name of FORWARDED) {
      if (context.headers?.[name]) request.http.headers.set(name, context.headers[name]);
    }
  }
}

// ---------------------------------------------------------------- the test

async function main() {
  const { _service } = await data(runbookUrl, '{ _service { sdl } }');
  assert.match(_service.sdl, /type Service @key\(fields: "host serviceId"\)/);
  assert.match(_service.sdl, /type ErrorCode @key\(fields: "host code"\)/);
  check('the service serves its subgraph SDL at _service { sdl }');

  const portalServer = new ApolloServer({
    schema: portalSchema,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url: portalUrl } = await startStandaloneServer(portalServer, { listen });
  stoppers.push(() => portalServer.stop());

  const composition = composeServices([
    { name: 'portal', typeDefs: parse(PORTAL_SDL), url: portalUrl },
    { name: 'runbook', typeDefs: parse(_service.sdl), url: runbookUrl },
  ]);
  if (composition.errors) {
    const messages = composition.errors.map((e) => `- ${e.message}`).join('\n');
    throw new Error(`composition failed:\n${messages}`);
  }
  const { supergraphSdl } = composition;
  assert.match(supergraphSdl, /join__graph\(name: "runbook"/);
  assert.match(supergraphSdl, /type Service\s+@join__type\(graph: PORTAL, key: "host serviceId"\)\s+@join__type\(graph: RUNBOOK, key: "host serviceId"\)/);
  check(`@apollo/composition composes portal + runbook (${composition.hints.length} hints)`);

  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new ForwardCredentials({ name, url }),
  });
  const gatewayServer = new ApolloServer({ gateway, introspection: true });
  const { url: gatewayUrl } = await startStandaloneServer(gatewayServer, {
    listen,
    context: async ({ req }) => ({ headers: req.headers }),
  });
  stoppers.push(() => gatewayServer.stop());
  check(`the gateway serves the supergraph at ${gatewayUrl}`);

  // The portal's services, each extended with its runbook from this service.
  sent.length = 0;
  const { services } = await data(
    gatewayUrl,
    `{ services { serviceId displayName runbook(errorCode: "ERR10001") { entry procedures { key } } } }`,
  );
  const direct = async (serviceId) =>
    (
      await data(
        runbookUrl,
        `query($id: String!) { runbook(serviceId: $id, errorCode: "ERR10001") { entry procedures { key } } }`,
        { id: serviceId },
      )
    ).runbook;
  assert.deepEqual(services, [
    { serviceId: LEDGER, displayName: 'Ledger', runbook: await direct(LEDGER) },
    { serviceId: CATALOG, displayName: 'Catalog', runbook: await direct(CATALOG) },
    { serviceId: UNKNOWN, displayName: 'Portal-only service', runbook: null },
  ]);
  assert.equal(services[0].runbook.entry, 'token-expired');
  assert.ok(services[0].runbook.procedures.some((p) => p.key === 'token-expired'));
  check('services { displayName runbook(errorCode:) } joins the portal and the runbooks');

  const toRunbook = sent.filter((r) => r.subgraph === 'runbook');
  assert.equal(toRunbook.length, 1, `one request to the runbook subgraph, not ${toRunbook.length}`);
  assert.match(toRunbook[0].query, /_entities\(representations:/);
  assert.deepEqual(
    toRunbook[0].variables.representations.map((r) => [r.__typename, r.host, r.serviceId]),
    SERVICES.map((s) => ['Service', s.host, s.serviceId]),
  );
  check('the gateway fetched every runbook with one _entities request');

  // Error codes by reference (host, code), as registered at their most general scope.
  const { incidents } = await data(
    gatewayUrl,
    `{ incidents { id service { displayName scope { id kind } } errorCode { host code statusCode message origin { id } } } }`,
  );
  const { errorCode: registered } = await data(
    runbookUrl,
    `{ errorCode(code: "ERR10001") { host code statusCode message origin { id } } }`,
  );
  assert.ok(registered, 'the demo registers ERR10001');
  assert.deepEqual(incidents, [
    {
      id: 'INC-1',
      service: { displayName: 'Ledger', scope: { id: LEDGER, kind: 'SERVICE' } },
      errorCode: registered,
    },
    {
      id: 'INC-2',
      service: { displayName: 'Catalog', scope: { id: CATALOG, kind: 'SERVICE' } },
      errorCode: registered,
    },
  ]);
  assert.equal(registered.origin.id, 'light-4j');
  check('ErrorCode references resolve to the code as registered, Service to its scope');

  // The runbook subgraph's own queries and mutations are in the supergraph as well.
  const { runbook } = await data(
    gatewayUrl,
    `{ runbook(serviceId: "${LEDGER}", errorCode: "ERR10001") { serviceId entry errorCode { host code } } }`,
  );
  assert.deepEqual(runbook, {
    serviceId: LEDGER,
    entry: 'token-expired',
    errorCode: { host: HOST, code: 'ERR10001' },
  });
  const { __type: mutation } = await data(gatewayUrl, `{ __type(name: "Mutation") { fields { name } } }`);
  assert.ok(mutation.fields.some((f) => f.name === 'createScope'), 'Mutation.createScope');
  check('the runbook queries and mutations are served through the gateway');

  if (TOKEN) {
    // Without the caller's token the service refuses the reads, through the gateway too.
    const anonymous = await post(
      gatewayUrl,
      `{ services { displayName runbook(errorCode: "ERR10001") { entry } } }`,
      {},
      { token: null },
    );
    assert.deepEqual(
      anonymous.data?.services?.map((s) => [s.displayName, s.runbook]),
      SERVICES.map((s) => [s.displayName, null]),
      JSON.stringify(anonymous),
    );
    assert.ok(anonymous.errors?.length > 0, JSON.stringify(anonymous));
    assert.ok(
      anonymous.errors.every((e) => e.extensions?.code === 'UNAUTHENTICATED'),
      JSON.stringify(anonymous.errors),
    );
    check(`without a token: the portal's fields, no runbooks, UNAUTHENTICATED (${anonymous.errors[0].message})`);
  }
}

try {
  await main();
  console.log(`run.mjs: all ${checks} checks passed`);
} catch (error) {
  console.error(`not ok - ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  for (const stop of stoppers.reverse()) {
    await stop().catch(() => {});
  }
}
process.exit(process.exitCode ?? 0);
