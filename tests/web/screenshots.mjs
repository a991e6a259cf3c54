// Takes the screenshots of docs/web.md: the main views of the web app, in
// Debian's Chromium driven by playwright-core, against a running service that
// holds the demo runbooks and nothing else. It writes: two changes (for the
// history view), the service of fixtures/e2e-service.yml, and an execution
// of it that waits at a manual step (no automation runs).
//
//   cargo run -- serve --store sqlite:///tmp/shots.db --listen 127.0.0.1:18080 &
//   node tests/web/screenshots.mjs http://127.0.0.1:18080 [docs/screenshots]
//
// Not part of the test run: run it by hand after a visible change, look at
// the pictures, and commit them.

import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { graphqlAt, launchOptions, loopbackOnly } from './browser.mjs';

const base = (process.argv[2] ?? '').replace(/\/$/, '');
const out = resolve(process.argv[3] ?? new URL('../../docs/screenshots', import.meta.url).pathname);
if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(base)) {
  console.error('usage: node tests/web/screenshots.mjs http://127.0.0.1:PORT [output directory]');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const LEDGER = 'com.acme.payments.ledger-1.0.0';
const GATEWAY = 'com.acme.payments.gateway-2.1.0';

const graphql = graphqlAt(base);

const browser = await chromium.launch(launchOptions());
const outside = [];

async function shoot(name, { url, theme = 'light', width = 1440, height = 900, before, fullPage = false }) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: theme, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('request', (r) => {
    if (!loopbackOnly(r.url())) outside.push(r.url());
  });
  await page.goto(`${base}${url}`);
  await page.locator('main').waitFor();
  await page.waitForLoadState('networkidle');
  if (before) await before(page);
  await page.waitForTimeout(400);
  const path = `${out}/${name}.png`;
  await page.screenshot({ path, fullPage });
  console.log(`wrote ${path}`);
  await context.close();
}

const graphReady = async (page) => {
  await page.locator('.graph[data-view="set"]').waitFor();
};

await shoot('runbook-light', { url: `/runbook/${LEDGER}/ERR10001`, before: graphReady });
await shoot('runbook-dark', { url: `/runbook/${LEDGER}/ERR10001`, theme: 'dark', before: graphReady });
await shoot('runbook-phone', {
  url: `/runbook/${LEDGER}/ERR10001`,
  theme: 'dark',
  width: 390,
  height: 844,
  // On a phone the step comes first; the tree is one tap away.
  before: async (page) => page.locator('.step-list-box').waitFor(),
});
await shoot('home', { url: '/', width: 1200, height: 800 });
await shoot('provenance', {
  url: `/scopes/${GATEWAY}/effective?code=ERR10053&step=check-downstream-health`,
  height: 1100,
  before: graphReady,
});
await shoot('scopes', { url: '/scopes', width: 1200, height: 760 });
await shoot('impact-preview', {
  url: '/scopes/light-4j',
  height: 1000,
  before: async (page) => {
    await page.locator('tr[data-key="token-expired"]').getByRole('button', { name: 'Edit' }).click();
    const editor = page.locator('form.editor');
    await editor
      .getByLabel('Body (Markdown)', { exact: true })
      .fill('Renew the client token.\n\nSee the JWK runbook when the signature is refused as well.');
    await editor.getByRole('button', { name: 'Preview impact' }).click();
    await editor.locator('.impact.is-preview').waitFor();
    await page.evaluate(() => {
      const top = document.querySelector('form.editor [data-field="body"]').getBoundingClientRect().top;
      window.scrollBy(0, top - 64);
    });
  },
});

// Two changes to one procedure, then its history.
await graphql(
  `mutation ($s: String!) { updateProcedure(scopeId: $s, key: "check-downstream-health",
     input: { title: "Check the downstream service behind the gateway route" }) { changeId } }`,
  { s: GATEWAY },
);
const { procedure } = await graphql(
  `query ($s: String!) { procedure(scopeId: $s, key: "check-downstream-health") { body } }`,
  { s: GATEWAY },
);
await graphql(
  `mutation ($s: String!, $b: String!) { updateProcedure(scopeId: $s, key: "check-downstream-health",
     input: { body: $b, tags: ["gateway", "downstream"] }) { changeId } }`,
  {
    s: GATEWAY,
    b: procedure.body.replace(/\n\n/, '\n\nFirst look at the route in `router.yml`: a wrong prefix looks like a failing backend.\n\n'),
  },
);
await shoot('history-diff', {
  url: `/scopes/${GATEWAY}/history?kind=PROCEDURE&key=check-downstream-health`,
  height: 1000,
  before: async (page) => {
    await page.locator('.history-item').first().waitFor();
    await page.evaluate(() => window.scrollTo(0, document.querySelector('.tabs').getBoundingClientRect().top + window.scrollY - 60));
  },
});

// An execution waiting for a person, one decision already taken.
await graphql('mutation ($y: String!) { importRunbook(yaml: $y) { changeId } }', {
  y: readFileSync(new URL('./fixtures/e2e-service.yml', import.meta.url), 'utf8'),
});
const { execution } = await graphql(
  `mutation { execution: startExecution(serviceId: "com.acme.payments.e2e-1.0.0", errorCode: "ERR10001",
     environment: "prod", instance: "ledger-7d9f-2") { id } }`,
);
await graphql('mutation ($id: String!) { chooseBranch(id: $id, label: "restart needed", note: "Error rate 12%, one pod looping.") { status } }', {
  id: execution.id,
});
await shoot('execution', {
  url: `/executions/${execution.id}`,
  height: 1000,
  before: async (page) => {
    await graphReady(page);
    await page.locator('.badge.live-live').waitFor();
  },
});

await browser.close();
if (outside.length) {
  console.error(`requests left loopback: ${outside.join(', ')}`);
  process.exit(1);
}
console.log('no request left loopback');
