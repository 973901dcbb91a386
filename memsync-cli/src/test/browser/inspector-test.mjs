// The memsync inspector in a real browser: Debian's headless Chromium driven by playwright-core.
// Run by InspectorBrowserEndToEndTest:
//   node inspector-test.mjs <inspector URL with #token=…> <screenshot.png> <host pid> <command…>
// where <command…> is a command line that patches the document from another process ({"$inc":{"n":41}} is appended).
// Prints one JSON line per step; exits 0 when every step passed, 1 otherwise.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, screenshot, hostPid, ...patchCommand] = process.argv.slice(2);
const executablePath = process.env.MEMSYNC_CHROMIUM || '/usr/bin/chromium';
const userDataDir = mkdtempSync(join(tmpdir(), 'memsync-chromium-'));
const log = (step, data = {}) => console.log(JSON.stringify({ step, ...data }));
const started = Date.now();

let context;
let failed = false;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1200, height: 720 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  const consoleErrors = [];
  // refused patches (400, 403) are logged by Chromium as failed loads: expected here, anything else is not
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 40[03]/.test(m.text())) consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  await page.goto(url);
  const n = page.locator('[data-path="/n"]');
  await n.waitFor({ timeout: 15000 });
  await page.locator('#conn', { hasText: 'live' }).waitFor({ timeout: 15000 });
  await page.locator('#peers tbody tr', { hasText: hostPid }).first().waitFor({ timeout: 15000 });
  // the test keeps a `memsync watch` running: a client that joined as a reader
  await page.locator('#peers tbody tr', { hasText: 'reader' }).first().waitFor({ timeout: 15000 });
  log('loaded', { n: await n.textContent(), ms: Date.now() - started,
    tokenInAddressBar: page.url().includes('token=') });

  // another process patches; the tree shows it within a second of that process's return
  const [cmd, ...args] = patchCommand;
  execFileSync(cmd, [...args, '{"$inc":{"n":41}}'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const patched = Date.now();
  await page.waitForFunction(() => document.querySelector('[data-path="/n"]')?.textContent === '42', null,
    { timeout: 1000 });
  log('remote patch shown', { ms: Date.now() - patched });
  await page.locator('#feed li', { hasText: 'replace /n = 42' }).waitFor({ timeout: 1000 });
  log('change feed shows the effect');

  // the patch box: a refused patch shows its code inline, an accepted one its (term, version)
  await page.locator('#patch').waitFor({ state: 'visible', timeout: 5000 });
  await page.fill('#patch-text', '{"$inc":{"label":1}}');
  await page.click('#patch-apply');
  await page.locator('#patch-result.err', { hasText: 'ERR_INVALID_PATCH' }).waitFor({ timeout: 10000 });
  log('refused patch shows its code', { text: await page.locator('#patch-result').textContent() });

  await page.fill('#patch-text', '{"$set":{"from":"the browser"}}');
  await page.click('#patch-apply');
  await page.locator('#patch-result.ok').waitFor({ timeout: 10000 });
  await page.locator('[data-path="/from"]', { hasText: 'the browser' }).waitFor({ timeout: 5000 });
  log('accepted patch', { text: await page.locator('#patch-result').textContent() });

  const token = await page.inputValue('#patch-token');
  await page.fill('#patch-token', 'not-the-token');
  await page.fill('#patch-text', '{"$set":{"from":"nobody"}}');
  await page.click('#patch-apply');
  await page.locator('#patch-result.err', { hasText: 'ERR_UNAUTHORIZED' }).waitFor({ timeout: 10000 });
  log('wrong token refused', { text: await page.locator('#patch-result').textContent() });
  await page.fill('#patch-token', token);

  // collapse a subtree, then a change inside it keeps it collapsed and updates in place
  await page.click('[data-node="/items"] > summary');
  execFileSync(cmd, [...args, '{"$push":{"items":"c"}}'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await page.locator('[data-node="/items"] > summary', { hasText: '[3]' }).waitFor({ timeout: 1000 });
  const open = await page.locator('[data-node="/items"]').evaluate((el) => el.open);
  log('collapsed subtree updated in place', { open });
  if (open) throw new Error('the collapsed subtree was reopened by a change');
  await page.click('[data-node="/items"] > summary');
  await page.fill('#patch-text', '{"$inc":{"label":1}}');
  await page.click('#patch-apply');
  await page.locator('#patch-result.err', { hasText: 'ERR_INVALID_PATCH' }).waitFor({ timeout: 10000 });

  await page.screenshot({ path: screenshot, fullPage: true });
  log('screenshot', { path: screenshot });
  if (consoleErrors.length) throw new Error('console errors: ' + consoleErrors.join(' | '));
} catch (e) {
  failed = true;
  log('failed', { error: String(e && e.stack || e) });
} finally {
  if (context) await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
  log('done', { ms: Date.now() - started });
}
process.exit(failed ? 1 : 0);
