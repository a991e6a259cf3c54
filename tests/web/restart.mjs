// The execution page across a server restart, in Debian's Chromium driven
// by playwright-core: the page stays readable with moves disabled and the
// reason said, a note being typed is kept, the live feed reconnects by
// itself and catches up on a move made while it was away, and a reload
// offers the note back.
//
//   node tests/web/restart.mjs http://127.0.0.1:PORT EXECUTION_ID
//
// Run by tests/web_e2e.rs, which owns the server: this script prints
// `KILL` when it wants the server gone and waits for `DOWN` on its standard
// input, then prints `START` and waits for `UP`. Prints one line per check
// and "N passed, N failed"; exits 1 on any failure.

import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { graphqlAt, launchOptions, loopbackOnly } from './browser.mjs';

const base = (process.argv[2] ?? '').replace(/\/$/, '');
const id = process.argv[3] ?? '';
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base) || !id) {
  console.error('usage: node tests/web/restart.mjs http://127.0.0.1:PORT EXECUTION_ID');
  process.exit(2);
}
const TIMEOUT = 20_000;
const NOTE = 'Checked the pool: 3 of 5 nodes back, waiting on the rest.';

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
/** Asks the harness for `request` and waits for its `reply`. */
async function ask(request, reply) {
  console.log(request);
  const { value, done } = await lines.next();
  if (done || value.trim() !== reply) throw new Error(`expected ${reply} from the harness, got ${done ? 'EOF' : value}`);
}

let passed = 0;
let failed = 0;
function expect(condition, message) {
  if (!condition) throw new Error(message);
}
async function check(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAILED - ${name}\n  ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n  ')}`);
  }
}

const graphql = graphqlAt(base);

const browser = await chromium.launch(launchOptions());
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
context.setDefaultTimeout(TIMEOUT);
const page = await context.newPage();
const outside = [];
page.on('request', (r) => {
  if (!loopbackOnly(r.url())) outside.push(r.url());
});
const view = page.locator('.execution-page');

try {
  await check('the execution page is live before the restart', async () => {
    await page.goto(`${base}/executions/${encodeURIComponent(id)}`);
    await page.locator('.badge.live-live').waitFor();
    await page.locator('.react-flow__node').first().waitFor();
    await view.getByLabel('Note (optional)').fill(NOTE);
  });

  await ask('KILL', 'DOWN');

  await check('with the server gone the page stays readable, moves are disabled and it says why', async () => {
    await page.locator('.badge.live-reconnecting').waitFor();
    expect((await view.locator('.offline-note').innerText()).includes('connection to the service is lost'), 'the reason is said');
    expect(await view.getByRole('button', { name: 'Complete step' }).isDisabled(), 'Complete step waits for the connection');
    expect(await view.getByRole('button', { name: 'Escalate' }).isDisabled(), 'Escalate waits for the connection');
    expect((await view.locator('#exec-step-title').innerText()).includes('Look at the dashboard'), 'the step is still shown');
    expect((await page.locator('.react-flow__node').count()) >= 2, 'the graph is still drawn');
    expect((await view.getByLabel('Note (optional)').inputValue()) === NOTE, 'the note being typed is kept');
  });

  await ask('START', 'UP');
  // Someone else moves at once, likely before this page is back.
  await graphql('mutation ($id: String!) { addNote(id: $id, note: "made while you were away") { status } }', { id });

  await check('the live feed reconnects by itself and catches up on what it missed', async () => {
    await page.locator('.badge.live-live').waitFor();
    await page.waitForFunction(() => document.querySelector('.timeline')?.textContent?.includes('made while you were away'));
    expect(await view.getByRole('button', { name: 'Complete step' }).isEnabled(), 'moves are possible again');
    const stored = await graphql('query ($id: String!) { execution(id: $id) { events { seq } } }', { id });
    const shown = await view.locator('.timeline li').evaluateAll((items) => items.length);
    expect(shown === stored.execution.events.length, `every event once: ${shown} shown, ${stored.execution.events.length} stored`);
  });

  await check('after a reload the note being typed is offered back, and sending it records it', async () => {
    await page.reload();
    await page.locator('.badge.live-live').waitFor();
    expect((await view.getByLabel('Note (optional)').inputValue()) === NOTE, 'the draft came back');
    await view.getByRole('button', { name: 'Add note' }).click();
    await page.waitForFunction((note) => document.querySelector('.timeline')?.textContent?.includes(note), NOTE);
    await page.reload();
    await page.locator('.badge.live-live').waitFor();
    expect((await view.getByLabel('Note (optional)').inputValue()) === '', 'a sent note is no longer a draft');
  });

  await check('no request left loopback', async () => {
    expect(outside.length === 0, outside.join(', '));
  });
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
