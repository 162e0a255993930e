// Tests of the harness's watcher (harness.mjs watch) against a tiny local
// server whose responses they hold back at will, so that the races the
// login pages meet only sometimes happen every time here.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { launchChromium, watch } from './harness.mjs';

let browser, server, base;
// held are the responses to /held/* not sent yet, by path.
const held = new Map();
// heldRequest resolves with the next /held/* request the server gets.
let onHeld = () => {};

before(async () => {
  server = createServer((req, res) => {
    if (req.url.startsWith('/held/')) {
      held.set(req.url, res);
      onHeld(req.url);
      return;
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (req.url === '/icon') {
      res.end('<!doctype html><title>icon</title><link rel="icon" href="/held/icon.svg"><h1>icon</h1>');
    } else if (req.url === '/fetch') {
      // A load the page itself gives up on: no navigation, so a fault.
      res.end(`<!doctype html><title>fetch</title><h1>fetch</h1><script>
        const c = new AbortController();
        fetch('/held/data', { signal: c.signal }).catch(() => {});
        setTimeout(() => c.abort(), 200);
      </script>`);
    } else if (req.url === '/broken') {
      // Cut off mid-body: a load that fails for a reason of its own.
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '100' });
      res.write('short', () => res.socket.destroy());
    } else {
      res.end('<!doctype html><title>next</title><h1>next</h1>');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const res of held.values()) res.destroy();
  server?.close();
});

// nextHeld resolves when the server holds a request for path.
function nextHeld(path) {
  return new Promise((resolve) => {
    onHeld = (url) => { if (url === path) resolve(); };
  });
}

async function open(t) {
  const ctx = await browser.newContext();
  t.after(() => ctx.close());
  const page = await ctx.newPage();
  return { page, w: watch(page, base) };
}

test('a load cancelled because the page navigated away is no fault', async (t) => {
  const { page, w } = await open(t);
  const iconAsked = nextHeld('/held/icon.svg');
  await page.goto(`${base}/icon`);
  await iconAsked; // the icon is still loading: leaving now cancels it
  const cancelled = page.waitForEvent('requestfailed', (r) => r.url() === `${base}/held/icon.svg`);
  await page.goto(`${base}/next`);
  assert.equal((await cancelled).failure().errorText, 'net::ERR_ABORTED');
  w.check();
});

test('a load cancelled without a navigation is a fault', async (t) => {
  const { page, w } = await open(t);
  const cancelled = page.waitForEvent('requestfailed', (r) => r.url() === `${base}/held/data`);
  await page.goto(`${base}/fetch`);
  assert.equal((await cancelled).failure().errorText, 'net::ERR_ABORTED');
  assert.throws(() => w.check(), /failed: GET http:\/\/127\.0\.0\.1:\d+\/held\/data: net::ERR_ABORTED/);
});

test('a load that fails otherwise is a fault even when the page then leaves', async (t) => {
  const { page, w } = await open(t);
  await page.goto(`${base}/next`);
  const failed = page.waitForEvent('requestfailed', (r) => r.url() === `${base}/broken`);
  await page.evaluate(() => { fetch('/broken').then((r) => r.text()).catch(() => {}); });
  assert.equal((await failed).failure().errorText, 'net::ERR_CONTENT_LENGTH_MISMATCH');
  await page.goto(`${base}/next`);
  assert.throws(() => w.check(), /failed: GET http:\/\/127\.0\.0\.1:\d+\/broken: net::ERR_CONTENT_LENGTH_MISMATCH/);
});
