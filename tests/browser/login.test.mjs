// Real-browser tests of the login pages: headless Chromium against the
// dev server (embedded store, dev inbox). Run: node --test (here).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  api, codeIn, desktop, freePort, invite, linkIn, messagesTo, newPage, nextMessage, shot, startWorld,
} from './harness.mjs';

let world;
before(async () => { world = await startWorld(); });
after(async () => { await world?.stop(); });

// The error page answers 410, which Chromium reports on the console.
const gone = /status of 410/;

// open opens a watched page in a new browser context, closed when test t ends.
async function open(t, opts = {}, allow = []) {
  const p = await newPage(world, opts, allow);
  t.after(() => p.ctx.close());
  return p;
}

// see waits for the page whose heading is name, and otherwise fails with
// the heading and error the page shows instead.
async function see(page, name) {
  try {
    await page.getByRole('heading', { name }).waitFor();
  } catch {
    const h1 = await page.locator('h1').first().innerText({ timeout: 1000 }).catch(() => '(none)');
    const err = await page.locator('.error').first().innerText({ timeout: 1000 }).catch(() => '');
    assert.fail(`${page.url()}: want the page "${name}", got "${h1}" ${err}`);
  }
}

// requestLogin types email on /login and lands on the check page. It
// returns how many messages email had before.
async function requestLogin(page, email, name) {
  const before = (await messagesTo(world.base, email)).length;
  const r = await page.goto(`${world.base}/login`);
  assert.equal(r.status(), 200);
  await see(page, 'Log in');
  if (name) await shot(world, page, name);
  await page.locator('#identifier').fill(email);
  await page.locator('form[action="/login"] button[type=submit]').click();
  await see(page, 'Check your email');
  const said = await page.locator('main').innerText();
  assert.ok(said.includes(`If ${email} belongs to an account`), said);
  return before;
}

// portalSays waits for the demo portal and returns who is logged in.
async function portalSays(page) {
  await page.waitForURL(`${world.base}/portal`);
  return page.locator('#who').innerText();
}

async function loginByCode(t, opts, email, shots) {
  await invite(world.base, email);
  const { page, w } = await open(t, opts);
  const n = await requestLogin(page, email, shots && 'login');
  if (shots) await shot(world, page, 'check');
  const code = codeIn(await nextMessage(world.base, email, n));
  await page.locator('#code').fill(code);
  await page.locator('form[action="/login/code"] button[type=submit]').click();
  assert.equal(await portalSays(page), `Logged in to Demo as ${email} (via code).`);
  w.check();
}

test('a. email login by code on a phone', async (t) => {
  await loginByCode(t, {}, 'ana@example.com', true);
});

test('e. email login by code with JavaScript disabled (desktop)', async (t) => {
  await loginByCode(t, { ...desktop, javaScriptEnabled: false }, 'ana.nojs@example.com', false);
});

test('b. magic link in the same browser continues by itself', async (t) => {
  const email = 'bob@example.com';
  await invite(world.base, email);
  const { page, w } = await open(t);
  const link = linkIn(world.base, await nextMessage(world.base, email, await requestLogin(page, email)));
  await page.goto(link, { waitUntil: 'commit' }); // it moves on by itself
  assert.equal(await portalSays(page), `Logged in to Demo as ${email} (via link).`);
  // The continue page was shown and its script posted the form: no click.
  assert.deepEqual(w.visited.slice(-2), [link, `${world.base}/portal`]);
  assert.ok(w.requests.includes(`GET ${world.base}/assets/continue.js`), w.requests.join('\n'));
  assert.ok(w.requests.includes(`POST ${world.base}/v1/login/redeem`), w.requests.join('\n'));
  w.check();
});

test('c. magic link in another browser waits for a click, then works once', async (t) => {
  const email = 'dan@example.com';
  await invite(world.base, email);
  const asker = await open(t);
  const link = linkIn(world.base, await nextMessage(world.base, email, await requestLogin(asker.page, email)));
  asker.w.check();

  // Another browser, with JavaScript on (as a mail scanner's): the button waits.
  const { page, w } = await open(t, {}, [gone]);
  assert.equal((await page.goto(link)).status(), 200);
  await see(page, 'Continue to Demo portal');
  assert.equal(await page.locator('script').count(), 0, 'no auto-continue script in another browser');
  await sleep(1000);
  assert.equal(page.url(), link);
  assert.ok(!w.requests.some((r) => r.startsWith('POST')), w.requests.join('\n'));
  await shot(world, page, 'continue');
  // Still valid: a GET consumes nothing.
  assert.equal((await api(world.base, 'GET', new URL(link).pathname + new URL(link).search)).status, 200);

  await page.locator('form#continue button[type=submit]').click();
  assert.equal(await portalSays(page), `Logged in to Demo as ${email} (via link).`);

  // Used: the error page, with a form for a new link.
  assert.equal((await page.goto(link)).status(), 410);
  await see(page, 'This link is no longer valid');
  assert.equal(await page.locator('p.error').getAttribute('data-code'), 'link_invalid');
  await shot(world, page, 'error');
  const n = (await messagesTo(world.base, email)).length;
  await page.locator('#identifier').fill(email);
  await page.locator('form[action="/login"] button[type=submit]').click();
  await see(page, 'Check your email');
  linkIn(world.base, await nextMessage(world.base, email, n));
  w.check();
});

test('e. the error page and its form work with JavaScript disabled', async (t) => {
  const email = 'gus@example.com';
  await invite(world.base, email);
  const { page, w } = await open(t, { javaScriptEnabled: false }, [gone]);
  assert.equal((await page.goto(`${world.base}/v1/login/redeem?token=not-a-token`)).status(), 410);
  await see(page, 'This link is not valid');
  const n = (await messagesTo(world.base, email)).length;
  await page.locator('#identifier').fill(email);
  await page.locator('form[action="/login"] button[type=submit]').click();
  await see(page, 'Check your email');
  const code = codeIn(await nextMessage(world.base, email, n));
  await page.locator('#code').fill(code);
  await page.locator('form[action="/login/code"] button[type=submit]').click();
  assert.equal(await portalSays(page), `Logged in to Demo as ${email} (via code).`);
  w.check();
});

// pickTenant logs email in by link in a browser and picks tenant name.
async function pickTenant(t, opts, email, name, shots) {
  const { page, w } = await open(t, opts);
  const link = linkIn(world.base, await nextMessage(world.base, email, await requestLogin(page, email)));
  await page.goto(link, { waitUntil: 'commit' }); // with JavaScript it moves on by itself
  if (opts.javaScriptEnabled === false) {
    await see(page, /^Continue to /);
    await page.locator('form#continue button[type=submit]').click();
  }
  await page.waitForURL(`${world.base}/v1/login/tenants`);
  await see(page, 'Choose your portal');
  const buttons = await page.locator('ul.tenants button').allInnerTexts();
  assert.deepEqual([...buttons].sort(), ['Beta', 'Demo']);
  if (shots) await shot(world, page, 'picker');
  await page.getByRole('button', { name, exact: true }).click();
  assert.equal(await portalSays(page), `Logged in to ${name} as ${email} (via link).`);
  const s = await page.context().request.get(`${world.base}/v1/session`);
  assert.equal(s.status(), 200);
  assert.deepEqual((await s.json()).tenant, { id: name.toLowerCase(), name });
  w.check();
}

test('d. tenant picker', async (t) => {
  const r = await api(world.base, 'POST', '/dev/tenants', { id: 'beta', name: 'Beta' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const betaKey = r.body.apiKey;
  for (const email of ['eve@example.com', 'fay@example.com']) {
    await invite(world.base, email);
    await invite(world.base, email, betaKey);
  }
  await t.test('on a phone', (t) => pickTenant(t, {}, 'eve@example.com', 'Beta', true));
  await t.test('with JavaScript disabled', (t) => pickTenant(t, { ...desktop, javaScriptEnabled: false }, 'fay@example.com', 'Demo'));
});

test('f. no page can be framed', async (t) => {
  for (const route of ['/login', '/v1/login/redeem?token=x', '/v1/login/tenants']) {
    const r = await api(world.base, 'GET', route);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', route);
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/, route);
  }
  const framer = `<!doctype html><title>framer</title><iframe src="${world.base}/login" width="390" height="600"></iframe>`;
  const other = createServer((req, res) => { res.setHeader('Content-Type', 'text/html'); res.end(framer); });
  const port = await freePort();
  await new Promise((resolve) => other.listen(port, '127.0.0.1', resolve));
  const cases = [
    // Chromium may block a data: page's frame of a loopback address before
    // asking (local network access); either way no login form shows.
    { name: 'data: page', url: `data:text/html,${encodeURIComponent(framer)}`,
      blocked: /^net::ERR_BLOCKED_BY_(RESPONSE|LOCAL_NETWORK_ACCESS_CHECKS)$/ },
    { name: 'another port', url: `http://127.0.0.1:${port}/`, blocked: /^net::ERR_BLOCKED_BY_RESPONSE$/ },
  ];
  try {
    for (const c of cases) {
      await t.test(c.name, async (t) => {
        const ctx = await world.browser.newContext();
        t.after(() => ctx.close());
        const page = await ctx.newPage();
        const refused = [];
        page.on('console', (m) => { if (/frame-ancestors|X-Frame-Options/.test(m.text())) refused.push(m.text()); });
        let resp;
        page.on('response', (r) => { if (r.url() === `${world.base}/login`) resp = r; });
        const failed = page.waitForEvent('requestfailed', (r) => r.url() === `${world.base}/login`);
        await page.goto(c.url);
        assert.match((await failed).failure().errorText, c.blocked);
        if (resp || c.name === 'another port') {
          assert.ok(resp, 'no response to the frame');
          assert.equal(resp.headers()['x-frame-options'], 'DENY');
          assert.match(resp.headers()['content-security-policy'], /frame-ancestors 'none'/);
          for (let i = 0; i < 50 && refused.length === 0; i++) await sleep(100);
          assert.ok(refused.length > 0, 'Chromium did not report refusing the frame');
        }
        await page.waitForLoadState('load');
        const frame = page.frames().find((f) => f !== page.mainFrame());
        assert.ok(frame, 'no frame');
        assert.notEqual(frame.url(), `${world.base}/login`, 'the frame shows the login page');
        assert.equal(await frame.locator('#identifier').count(), 0, 'the login form is in the frame');
        const seen = await page.evaluate(() => {
          try { return document.querySelector('iframe').contentDocument?.body?.innerText ?? null; } catch { return null; }
        });
        assert.equal(seen, null, 'the framing page can read the frame');
      });
    }
  } finally {
    other.close();
  }
});
