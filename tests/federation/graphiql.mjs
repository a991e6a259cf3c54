// The offline GraphiQL page (`/graphiql`) in a real browser: Debian's headless
// Chromium, driven by playwright-core (which downloads no browser of its own).
//
//   node tests/federation/graphiql.mjs http://127.0.0.1:PORT SCREENSHOT_DIR [CHROMIUM]
//
// Opens the page, puts a query in the editor, clicks the run button, waits for
// the result pane to show the runbook's entry (`token-expired`) and reads the
// result back. Every request the page makes is recorded: anything not for the
// loopback address is refused and fails the run, so the page provably works
// without internet access. Leaves graphiql.png in SCREENSHOT_DIR. Exits non-zero
// on the first failed check; tests/graphiql_browser.rs runs it (after `npm ci`).

import assert from 'node:assert/strict';
import path from 'node:path';
import { chromium } from 'playwright-core';

const watchdog = setTimeout(() => {
  console.error('graphiql.mjs: gave up after 120 s');
  process.exit(2);
}, 120_000);
watchdog.unref();

const [base, screenshotDir, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
if (!base || !/^http:\/\/127\.0\.0\.1:\d+$/.test(base) || !screenshotDir) {
  console.error('usage: node tests/federation/graphiql.mjs http://127.0.0.1:PORT SCREENSHOT_DIR [CHROMIUM]');
  process.exit(64);
}

const QUERY =
  '{ runbook(serviceId: "com.acme.payments.ledger-1.0.0", errorCode: "ERR10001") { entry } }';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const isLocal = (url) => {
  const { protocol, hostname } = new URL(url);
  return protocol === 'data:' || protocol === 'blob:' || LOOPBACK.has(hostname);
};

let checks = 0;
function check(name) {
  checks += 1;
  console.log(`ok ${checks} - ${name}`);
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const requests = [];
  const refused = [];
  const problems = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) {
      return route.continue();
    }
    refused.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });

  const response = await page.goto(`${base}/graphiql`, { waitUntil: 'load' });
  assert.equal(response.status(), 200);
  const execute = page.locator('.graphiql-execute-button');
  await execute.waitFor({ state: 'visible', timeout: 30_000 });
  check('GraphiQL renders from the assets the service serves');

  // GraphiQL 3's editors are CodeMirror 5 instances: set the query through the
  // editor, as typing would, and check that the page shows it.
  const editor = '.graphiql-query-editor .CodeMirror';
  await page.waitForSelector(editor);
  await page.evaluate(
    ([selector, query]) => document.querySelector(selector).CodeMirror.setValue(query),
    [editor, QUERY],
  );
  assert.equal(
    await page.evaluate((selector) => document.querySelector(selector).CodeMirror.getValue(), editor),
    QUERY,
  );
  await page.waitForFunction(
    (selector) => document.querySelector(selector).innerText.includes('ERR10001'),
    editor,
  );
  check('the query is in the editor');

  // GraphiQL also posts its introspection query to /graphql, whenever it
  // gets to it: wait for the response to our query, not the first one.
  const graphqlResponse = page.waitForResponse(
    (r) =>
      r.url() === `${base}/graphql` &&
      r.request().method() === 'POST' &&
      !(r.request().postData() || '').includes('IntrospectionQuery'),
  );
  await execute.click();
  const sent = await graphqlResponse;
  assert.equal(sent.status(), 200);
  assert.equal(JSON.parse(sent.request().postData()).query, QUERY);
  check('the run button sends the query to /graphql');

  const result = '.graphiql-response .CodeMirror';
  await page.waitForFunction(
    (selector) => {
      const pane = document.querySelector(selector);
      return pane && pane.innerText.includes('token-expired');
    },
    result,
    { timeout: 30_000 },
  );
  const text = await page.evaluate((selector) => document.querySelector(selector).CodeMirror.getValue(), result);
  assert.deepEqual(JSON.parse(text), { data: { runbook: { entry: 'token-expired' } } });
  check('the result pane shows {"data":{"runbook":{"entry":"token-expired"}}}');

  // Opening a dialog makes GraphiQL add a <style> element, which the page's
  // Content-Security-Policy admits only with the page's nonce: a refused
  // style would show as a console error below.
  await page.locator('button[aria-label="Open settings dialog"]').click();
  await page.locator('.graphiql-dialog').waitFor({ state: 'visible', timeout: 10_000 });
  const styles = await page.evaluate(() =>
    [...document.querySelectorAll('style')].map((style) => style.nonce !== ''),
  );
  assert.ok(styles.length > 0, 'the dialog added no <style> element');
  assert.ok(styles.every(Boolean), 'a <style> element without the page nonce');
  await page.keyboard.press('Escape');
  await page.locator('.graphiql-dialog').waitFor({ state: 'hidden', timeout: 10_000 });
  check('a dialog opens and closes under the Content-Security-Policy');

  const file = path.join(screenshotDir, 'graphiql.png');
  await page.screenshot({ path: file, fullPage: true });
  check(`screenshot: ${file}`);

  assert.deepEqual(refused, [], 'requests for anything but loopback');
  assert.ok(requests.length >= 5, `the page made only ${requests.length} requests`);
  for (const url of requests) {
    assert.ok(isLocal(url), `request left loopback: ${url}`);
  }
  assert.deepEqual(problems, []);
  check(`all ${requests.length} requests stayed on loopback, no page errors`);
  console.log(`graphiql.mjs: all ${checks} checks passed`);
} catch (error) {
  console.error(`not ok - ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
process.exit(process.exitCode ?? 0);
