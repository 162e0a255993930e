// Harness for the browser tests: builds and runs the dev server on a free
// port, launches the system's headless Chromium, and watches every page
// for console errors, script errors, CSP violations and loads from
// another origin.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { constants, createWriteStream } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const apiKey = 'ppk_dev_browser_test_0123456789';

// A phone: every page must work at this size.
export const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const desktop = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false };

const chromiumArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-gpu'];

// Environment the dev server must not see: it would swap the embedded
// store and the dev inbox for DynamoDB, SES or SNS.
const awsEnv = ['DYNAMODB_ENDPOINT', 'SES_ENDPOINT', 'SNS_ENDPOINT', 'DEV_USE_AWS', 'TABLE_NAME'];

/**
 * launchChromium starts the system's headless Chromium, or fails saying
 * how to install it: these tests never download a browser.
 */
export async function launchChromium() {
  try {
    await access(chromiumPath, constants.X_OK);
  } catch {
    throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/** freePort asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Where screenshots go unless SCREENSHOT_DIR says otherwise: kept after
// the run as its artifacts (ignored by git; CI may upload it).
export const artifactsDir = path.join(repoRoot, 'tests', 'browser', 'artifacts', 'screenshots');

/**
 * startWorld builds the dev server, starts it on a free port and launches
 * Chromium. Screenshots go to SCREENSHOT_DIR when set, else to
 * tests/browser/artifacts/screenshots; stop() removes the temp dir after
 * ending the browser and the server.
 */
export async function startWorld() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'portalpass-browser-'));
  try {
    return await start(tmp);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function start(tmp) {
  const shots = process.env.SCREENSHOT_DIR || artifactsDir;
  await mkdir(shots, { recursive: true });
  const bin = path.join(tmp, 'devserver');
  const build = spawnSync('go', ['build', '-o', bin, './infra/devserver'], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`go build ./infra/devserver failed (${build.error ?? build.status}):\n${build.stderr}`);
  }
  const env = { ...process.env, DEV_API_KEY: apiKey, LOG_LEVEL: 'warn' };
  for (const k of awsEnv) delete env[k];

  // A port picked by freePort may be taken before the server binds it: try a few.
  let server, base, logPath;
  for (let attempt = 1; !server; attempt++) {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    logPath = path.join(tmp, `devserver-${attempt}.log`);
    const child = spawn(bin, [], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.pipe(createWriteStream(logPath));
    if (await answers(base, child)) {
      server = child;
    } else if (attempt === 3) {
      throw new Error(`dev server did not start:\n${await readFile(logPath, 'utf8').catch(() => '')}`);
    }
  }
  const killServer = () => server.exitCode === null && server.kill('SIGKILL');
  process.on('exit', killServer);

  let browser;
  try {
    browser = await launchChromium();
  } catch (err) {
    killServer();
    throw err;
  }
  return {
    base, browser, shots,
    async stop() {
      await browser.close().catch(() => {});
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        const exited = once(server, 'exit');
        if (await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]) === false) killServer();
      }
      process.off('exit', killServer);
      if (server.exitCode !== 0 && server.signalCode !== 'SIGTERM') {
        process.stderr.write(`dev server exited with ${server.exitCode ?? server.signalCode}:\n${await readFile(logPath, 'utf8')}\n`);
      }
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

// answers waits until the dev server serves its inbox, or gives up when it
// exits or after 30 s.
async function answers(base, child) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const r = await fetch(`${base}/dev/inbox`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return true;
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  if (child.exitCode === null) child.kill('SIGKILL');
  return false;
}

/** api sends a JSON request to the dev server and returns status and body. */
export async function api(base, method, route, body, key) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (key) headers.Authorization = `Bearer ${key}`;
  const r = await fetch(base + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, headers: r.headers, body: text && r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

/** invite grants portal access to email in the tenant of key. */
export async function invite(base, email, key = apiKey) {
  const r = await api(base, 'POST', '/v1/admin/invites', { email, name: email.split('@')[0] }, key);
  assert.equal(r.status, 201, `invite ${email}: ${JSON.stringify(r.body)}`);
}

/** messagesTo lists the dev inbox's messages to one address, newest first. */
export async function messagesTo(base, to) {
  const r = await api(base, 'GET', '/dev/inbox');
  assert.equal(r.status, 200);
  return r.body.messages.filter((m) => m.to === to);
}

/** nextMessage waits for a message to `to` beyond the `before` already there. */
export async function nextMessage(base, to, before) {
  for (let i = 0; i < 50; i++) {
    const ms = await messagesTo(base, to);
    if (ms.length > before) return ms[0];
    await sleep(100);
  }
  throw new Error(`no new message to ${to}`);
}

/** linkIn is the login link of a message. */
export function linkIn(base, msg) {
  const m = msg.text.match(/http:\/\/127\.0\.0\.1:\d+\/v1\/login\/redeem\?token=[^\s"<>]+/);
  assert.ok(m, `no login link in: ${msg.text}`);
  assert.ok(m[0].startsWith(`${base}/`), `link ${m[0]} is not on ${base}`);
  return m[0];
}

/** codeIn is the login code of a message. */
export function codeIn(msg) {
  const m = msg.text.match(/Or enter this code: (\d{4,8})/);
  assert.ok(m, `no code in: ${msg.text}`);
  return m[1];
}

// Chromium asks every origin for /favicon.ico by itself, whatever the
// page says; the API has no such route. Not a fault of the page.
const favicon = /status of 404 \(Not Found\) \(http:\/\/127\.0\.0\.1:\d+\/favicon\.ico\)$/;

/**
 * watch records what must never happen on our pages: console errors
 * (where Chromium reports CSP violations), uncaught script errors, failed
 * loads and any request to another origin. allow lists console messages
 * expected on purpose (an error page's own status). check() asserts none
 * happened and that at least one of our pages was visited.
 *
 * A load aborted because its page navigated away is not a failure: the
 * browser fetches a page's icon only after the page has loaded, so a
 * click that leaves the page at once cancels it (net::ERR_ABORTED), and
 * so may any late load. Such an abort is excused when its frame sent a
 * navigation request after it; check() decides, so the order in which the
 * abort and the navigation are reported does not matter. An abort with no
 * navigation after it (a script's cancelled fetch) still counts.
 */
export function watch(page, base, allow = []) {
  const problems = [];
  const visited = [];
  const requests = [];
  // Requests are numbered as sent, so that check() can tell whether a
  // frame began a navigation (a document request: what replaces the page
  // and cancels its loads) after a request. Same-document navigations
  // (history.pushState, #fragment) cancel nothing and send no request.
  let seq = 0;
  const sentAt = new Map(); // request -> seq when sent
  const navigatedAt = new Map(); // frame -> seq of its latest navigation request
  const aborted = []; // [request, problem]
  const frameOf = (r) => {
    try { return r.frame(); } catch { return page.mainFrame(); }
  };
  const leftBehind = (r) => (navigatedAt.get(frameOf(r)) ?? 0) > sentAt.get(r);

  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    const text = `${m.type()}: ${m.text()} (${m.location().url || page.url()})`;
    if (![...allow, favicon].some((re) => re.test(text))) problems.push(`console ${text}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('request', (r) => {
    sentAt.set(r, ++seq);
    if (r.isNavigationRequest()) navigatedAt.set(frameOf(r), seq);
    requests.push(`${r.method()} ${r.url()}`);
    if (new URL(r.url()).origin !== base) problems.push(`request to another origin: ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    const error = r.failure()?.errorText;
    const problem = `failed: ${r.method()} ${r.url()}: ${error}`;
    if (error === 'net::ERR_ABORTED') aborted.push([r, problem]);
    else problems.push(problem);
  });
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) visited.push(f.url()); });
  // CSP violations also reach the console; this catches them even if not.
  page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  return {
    problems, visited, requests,
    check() {
      assert.ok(visited.length > 0, 'no page visited');
      const all = [...problems, ...aborted.filter(([r]) => !leftBehind(r)).map(([, p]) => p)];
      assert.deepEqual(all, [], `problems on ${visited.join(', ')}`);
    },
  };
}

/** newPage opens a page in a new context with a watcher. */
export async function newPage(world, opts = {}, allow = []) {
  const ctx = await world.browser.newContext({ ...phone, ...opts });
  ctx.setDefaultTimeout(10_000);
  const page = await ctx.newPage();
  return { ctx, page, w: watch(page, world.base, allow) };
}

/** shot saves a full-page screenshot as <name>.png. */
export async function shot(world, page, name) {
  await page.screenshot({ path: path.join(world.shots, `${name}.png`), fullPage: true });
}

let axeSource;

/**
 * axeCheck runs axe-core on the page and fails on any violation. The
 * page's CSP blocks an injected script, so the page's context must be
 * made with bypassCSP: true (check CSP in a context without it).
 */
export async function axeCheck(page) {
  axeSource ??= await readFile(path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `axe-core on ${page.url()}`);
}
