// Real-browser test of a mail scanner that presses buttons (issue 11):
// something else opens the link and presses Continue first; the browser
// that asked for the link still finishes its login, once, and the
// scanner's session ends. Every other browser keeps strict single use.
// At 1280 and 390 px for the asking browser, with axe-core and
// screenshots on each hosted page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  api, apiKey, axeCheck, desktop, invite, linkIn, messagesTo, newPage, nextMessage, phone, shot, startWorld,
} from './harness.mjs';

let world;
before(async () => { world = await startWorld(); });
after(async () => { await world?.stop(); });

// The error page answers 410, which Chromium reports on the console.
const gone = /status of 410/;

async function open(t, size, allow = []) {
  const p = await newPage(world, { ...size, bypassCSP: true }, allow);
  t.after(() => p.ctx.close());
  return p;
}

async function see(page, name) {
  try {
    await page.getByRole('heading', { level: 1, name }).waitFor();
  } catch {
    const h1 = await page.locator('h1').first().innerText({ timeout: 1000 }).catch(() => '(none)');
    assert.fail(`${page.url()}: want the page "${name}", got "${h1}"`);
  }
}

async function portalSays(page) {
  await page.waitForURL(/\/portal$/);
  return page.locator('#who').innerText();
}

for (const [size, opts] of [['desktop', desktop], ['phone', phone]]) {
  test(`a scanner presses Continue first; the asking browser still logs in, once (${size})`, async (t) => {
    const email = `scanned-${size}@example.com`;
    await invite(world.base, email);

    // The customer asks for a link on this device.
    const asker = await open(t, opts);
    const n = (await messagesTo(world.base, email)).length;
    await asker.page.goto(`${world.base}/login`);
    await asker.page.locator('#identifier').fill(email);
    await asker.page.locator('form[action="/login"] button[type=submit]').click();
    await see(asker.page, 'Check your email');
    const link = linkIn(world.base, await nextMessage(world.base, email, n));

    // The mail scanner opens the link in a browser of its own and presses Continue.
    const scanner = await open(t, desktop, [gone]);
    await scanner.page.goto(link);
    await see(scanner.page, 'Continue to Demo portal');
    await scanner.page.locator('form#continue button[type=submit]').click();
    assert.equal(await portalSays(scanner.page), `Logged in to Demo as ${email} (via link).`);
    assert.equal((await scanner.page.context().request.get(`${world.base}/v1/session`)).status(), 200);

    // The customer taps the link on the device that asked: still logged in.
    await asker.page.goto(link, { waitUntil: 'commit' });
    assert.equal(await portalSays(asker.page), `Logged in to Demo as ${email} (via link).`);
    await axeCheck(asker.page);
    await shot(world, asker.page, `scanner-asker-portal-${size}`);
    assert.equal((await asker.page.context().request.get(`${world.base}/v1/session`)).status(), 200);

    // The exception ended the session the scanner got.
    assert.equal((await scanner.page.context().request.get(`${world.base}/v1/session`)).status(), 401);

    // The exception is single use: the link is spent, for the asker too.
    const again = await open(t, opts, [gone]);
    assert.equal((await again.page.goto(link)).status(), 410);
    await see(again.page, 'This link is no longer valid');
    await axeCheck(again.page);
    await shot(world, again.page, `scanner-spent-${size}`);

    const audit = await api(world.base, 'GET', '/v1/admin/audit?type=login.redeemed', undefined, apiKey);
    assert.equal(audit.status, 200, JSON.stringify(audit.body));
    const mine = audit.body.events.filter((e) => e.contactId === audit.body.events[0].contactId);
    assert.equal(mine[0].detail?.scanner, 'exception', JSON.stringify(mine[0]));
    asker.w.check();
    scanner.w.check();
  });
}
