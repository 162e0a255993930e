// Real-browser tests of issue 11's "What was seen": the other-channel
// fallback, several tenants, logout, the rate-limited page, focus and
// field errors, and never-valid links, at 1280 and 390 px. Every hosted
// page visited is checked by axe-core (in contexts made with bypassCSP,
// since the pages' CSP blocks the injected script) and screenshotted.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  api, apiKey, axeCheck, codeIn, desktop, invite, linkIn, messagesTo, newPage, nextMessage, phone, shot, startWorld,
} from './harness.mjs';

let world;
let acmeKey;
before(async () => {
  world = await startWorld();
  const r = await api(world.base, 'POST', '/dev/tenants', { id: 'acme', name: 'Acme' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  acmeKey = r.body.apiKey;
});
after(async () => { await world?.stop(); });

const sizes = [['desktop', desktop], ['phone', phone]];

// The pages' own statuses, which Chromium reports on the console.
const statuses = /status of (400|410|429)/;

// open opens a watched page, axe-ready (bypassCSP), closed when t ends.
async function open(t, size, allow = []) {
  const p = await newPage(world, { ...size, bypassCSP: true }, [statuses, ...allow]);
  t.after(() => p.ctx.close());
  return p;
}

// see waits for the page whose heading is name, else fails saying what shows.
async function see(page, name) {
  try {
    await page.getByRole('heading', { level: 1, name }).waitFor();
  } catch {
    const h1 = await page.locator('h1').first().innerText({ timeout: 1000 }).catch(() => '(none)');
    assert.fail(`${page.url()}: want the page "${name}", got "${h1}"`);
  }
}

// visit checks a hosted page: its heading, axe-core and a screenshot.
async function visit(page, heading, shotName) {
  await see(page, heading);
  await axeCheck(page);
  await shot(world, page, shotName);
}

// focused is the id of the focused element ("BODY" when none).
const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

async function submitLogin(page, ident) {
  await page.locator('#identifier').fill(ident);
  await page.locator('form[action="/login"] button[type=submit]').first().click();
}

async function portalSays(page) {
  await page.waitForURL(/\/portal$/);
  return page.locator('#who').innerText();
}

for (const [size, opts] of sizes) {
  test(`fallback to text message for an email-only contact, then the email's code (${size})`, async (t) => {
    const email = `fallback-${size}@example.com`;
    await invite(world.base, email);
    const fallbackText = async (ident, name) => {
      const { page, w } = await open(t, opts);
      const n = (await messagesTo(world.base, ident)).length;
      await page.goto(`${world.base}/login`);
      await visit(page, 'Log in', `login-${size}`);
      await submitLogin(page, ident);
      await visit(page, 'Check your email', `check-${size}`);
      await page.getByRole('button', { name: 'Nothing arrived? Send it by text message instead' }).click();
      await visit(page, 'Check your phone', `${name}-${size}`);
      const said = await page.locator('main').innerText();
      assert.ok(said.includes('If a phone number is on file, we sent a text'), said);
      assert.ok(!said.includes(ident), `the fallback page names ${ident}: ${said}`);
      return { page, w, said, n };
    };
    const known = await fallbackText(email, 'fallback');
    const unknown = await fallbackText(`nobody-${size}@example.com`, 'fallback-unknown');
    assert.equal(known.said, unknown.said, 'the page differs for a known and an unknown address');

    // The email's code still works: the fallback did not end the attempt.
    const code = codeIn(await nextMessage(world.base, email, known.n));
    await known.page.locator('#code').fill(code);
    await known.page.locator('form[action="/login/code"] button[type=submit]').click();
    assert.equal(await portalSays(known.page), `Logged in to Demo as ${email} (via code).`);
    known.w.check();
    unknown.w.check();
  });

  test(`several tenants: "Continue to your portal", then the portal names the picked tenant (${size})`, async (t) => {
    const email = `multi-${size}@example.com`;
    await invite(world.base, email);
    await invite(world.base, email, acmeKey);
    const n = (await messagesTo(world.base, email)).length;
    assert.equal((await api(world.base, 'POST', '/v1/login/request', { identifier: email })).status, 202);
    const link = linkIn(world.base, await nextMessage(world.base, email, n));
    // Another browser than the one that asked: the continue page waits.
    const { page, w } = await open(t, opts);
    await page.goto(link);
    await visit(page, 'Continue to your portal', `continue-several-${size}`);
    assert.ok(!(await page.locator('main').innerText()).includes('portals'));
    await page.locator('form#continue button[type=submit]').click();
    await visit(page, 'Choose your portal', `picker-${size}`);
    await page.getByRole('button', { name: 'Acme', exact: true }).click();
    assert.equal(await portalSays(page), `Logged in to Acme as ${email} (via link).`);
    await see(page, 'Acme portal');
    assert.equal(await page.title(), 'Acme portal');
    assert.ok(!(await page.locator('body').innerText()).includes('Demo'), 'the portal of an Acme session says Demo');
    await shot(world, page, `portal-acme-${size}`);
    w.check();
  });

  test(`log out from the portal, and back to the tenant's login (${size})`, async (t) => {
    const email = `logout-${size}@example.com`;
    await invite(world.base, email, acmeKey);
    const { page, w } = await open(t, opts);
    await page.goto(`${world.base}/p/acme`);
    await visit(page, 'Log in to Acme', `login-acme-${size}`);
    const n = (await messagesTo(world.base, email)).length;
    await submitLogin(page, email);
    await see(page, 'Check your email');
    await page.locator('#code').fill(codeIn(await nextMessage(world.base, email, n)));
    await page.locator('form[action="/login/code"] button[type=submit]').click();
    assert.equal(await portalSays(page), `Logged in to Acme as ${email} (via code).`);

    await page.getByRole('link', { name: 'Log out' }).click();
    await see(page, 'Log out of Acme?');
    assert.equal(await page.locator('script').count(), 0, 'the logout page runs no script');
    await visit(page, 'Log out of Acme?', `logout-${size}`); // axe's script joins it from here
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${world.base}/logout?tenant=acme`);
    await visit(page, 'You are logged out', `logged-out-${size}`);
    assert.equal((await page.context().request.get(`${world.base}/v1/session`)).status(), 401);
    await page.getByRole('link', { name: 'Log in again' }).click();
    await page.waitForURL(`${world.base}/login?tenant=acme`);
    await see(page, 'Log in to Acme');
    w.check();
  });

  test(`rate limited: how long, and no form (${size})`, async (t) => {
    const email = `limited-${size}@example.com`;
    for (let i = 0; i < 10; i++) {
      const r = await api(world.base, 'POST', '/v1/login/request', { identifier: email });
      if (r.status === 429) break;
      assert.equal(r.status, 202);
    }
    const { page, w } = await open(t, opts);
    await page.goto(`${world.base}/login`);
    await page.locator('#identifier').fill(email);
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${world.base}/login` && r.request().method() === 'POST'),
      page.locator('form[action="/login"] button[type=submit]').click(),
    ]);
    assert.equal(resp.status(), 429);
    const minutes = Math.max(1, Math.ceil(Number(resp.headers()['retry-after']) / 60));
    const unit = minutes === 1 ? 'minute' : 'minutes';
    await visit(page, `Please wait ${minutes} ${unit}`, `rate-limited-${size}`);
    assert.ok((await page.locator('main').innerText()).includes(`try again in ${minutes} ${unit}`));
    assert.equal(await page.locator('form').count(), 0, 'the rate-limited page offers a form');
    w.check();
  });

  test(`focus: first field, errors tied to their field, placeholder whole (${size})`, async (t) => {
    const email = `focus-${size}@example.com`;
    await invite(world.base, email);
    const { page, w } = await open(t, opts);
    await page.goto(`${world.base}/login`);
    await see(page, 'Log in');
    assert.equal(await focused(page), 'identifier');
    const fit = await page.evaluate(() => {
      const el = document.getElementById('identifier');
      const cs = getComputedStyle(el);
      const ctx = document.createElement('canvas').getContext('2d');
      ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      return { text: ctx.measureText(el.placeholder).width, room: el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) };
    });
    assert.ok(fit.text <= fit.room, `placeholder is ${fit.text} px wide in ${fit.room} px`);

    const tied = async (id) => {
      assert.equal(await focused(page), id, 'focus after the error');
      const field = page.locator(`#${id}`);
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      const err = page.locator(`#${await field.getAttribute('aria-describedby')}`);
      assert.ok((await err.innerText()).length > 0, 'aria-describedby names no error text');
    };
    await submitLogin(page, 'not an address');
    await visit(page, 'Log in', `login-error-${size}`);
    await tied('identifier');

    await submitLogin(page, email);
    await see(page, 'Check your email');
    assert.equal(await focused(page), 'code');
    await page.locator('#code').fill('000000');
    await page.locator('form[action="/login/code"] button[type=submit]').click();
    await visit(page, 'Check your email', `code-error-${size}`);
    await tied('code');
    w.check();
  });

  test(`a link that was never valid says so; a used one is no longer valid (${size})`, async (t) => {
    const { page, w } = await open(t, opts);
    assert.equal((await page.goto(`${world.base}/v1/login/redeem?token=not-a-token`)).status(), 410);
    await visit(page, 'This link is not valid', `link-not-valid-${size}`);
    assert.equal(await focused(page), 'identifier');

    const email = `used-${size}@example.com`;
    await invite(world.base, email);
    const n = (await messagesTo(world.base, email)).length;
    assert.equal((await api(world.base, 'POST', '/v1/login/request', { identifier: email })).status, 202);
    const link = linkIn(world.base, await nextMessage(world.base, email, n));
    const token = new URL(link).searchParams.get('token');
    assert.equal((await api(world.base, 'POST', '/v1/login/redeem', { token })).status, 200);
    assert.equal((await page.goto(link)).status(), 410);
    await visit(page, 'This link is no longer valid', `link-used-${size}`);
    w.check();
  });
}

test('the logout page keeps its CSP: no script, nothing blocked (CSP enforced)', async (t) => {
  const email = 'logout-csp@example.com';
  await invite(world.base, email, apiKey);
  const p = await newPage(world, desktop);
  t.after(() => p.ctx.close());
  const { page, w } = p;
  const n = (await messagesTo(world.base, email)).length;
  await page.goto(`${world.base}/login`);
  await submitLogin(page, email);
  await see(page, 'Check your email');
  await page.locator('#code').fill(codeIn(await nextMessage(world.base, email, n)));
  await page.locator('form[action="/login/code"] button[type=submit]').click();
  await portalSays(page);
  const resp = await page.goto(`${world.base}/logout`);
  assert.match(resp.headers()['content-security-policy'], /script-src 'self'.*frame-ancestors 'none'/);
  await see(page, 'Log out of Demo?');
  await page.getByRole('button', { name: 'Log out' }).click();
  await see(page, 'You are logged out');
  assert.equal(await page.getByRole('link', { name: 'Log in again' }).getAttribute('href'), '/p/demo');
  w.check(); // a CSP violation reaches the console, which fails here
});
