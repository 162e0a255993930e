// Real-browser test of issue 11's tenant look: a tenant with its own
// colour, logo and support contact. A customer logs in by link and by
// code at 1280 and 390 px; every page shows the tenant's name (and logo),
// its buttons and links are in the tenant's colour with the page's CSP
// enforced (the colour comes in a hashed <style>: a CSP violation fails
// the test), an error page names the support contact, and axe-core finds
// no violation, colour contrast included (in a bypassCSP context, as the
// other files run it). The email in the dev inbox carries the same look.
// Screenshots as the other files take them (brand-*.png).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import {
  api, axeCheck, codeIn, desktop, invite, linkIn, messagesTo, newPage, nextMessage, phone, shot, startWorld,
} from './harness.mjs';

const color = '#7a1f5c';
const colorRGB = 'rgb(122, 31, 92)';
const name = 'Brio Bikes';
const support = { email: 'help@brio.example', url: 'https://brio.example/help' };

let world;
let brioKey;
// logo is the logo's path on our origin once uploaded.
let logo = '';

// png makes a w x h PNG of one colour: the tenant's logo.
function png(w, h, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const x of buf) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3).map((_, i) => [r, g, b][i % 3])]);
  const pixels = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

before(async () => {
  world = await startWorld();
  const r = await api(world.base, 'POST', '/dev/tenants', { id: 'brio', name });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  brioKey = r.body.apiKey;
  const p = await api(world.base, 'PATCH', '/v1/admin/settings',
    { brandColor: color, supportEmail: support.email, supportUrl: support.url }, brioKey);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  // The logo upload (h/logo's endpoint): PUT the image, then read its URL back.
  const up = await fetch(`${world.base}/v1/admin/settings/logo`, {
    method: 'PUT', headers: { 'Content-Type': 'image/png', Authorization: `Bearer ${brioKey}` }, body: png(160, 48, [122, 31, 92]),
  });
  assert.ok(up.ok, `logo upload: ${up.status} ${await up.text()}`);
  const s = await api(world.base, 'GET', '/v1/admin/settings', undefined, brioKey);
  logo = new URL(s.body.logoUrl, world.base).pathname;
  assert.match(logo, /^\/logos\/brio\//);
});
after(async () => { await world?.stop(); });

// The error page answers 410, and a wrong code 400: Chromium reports both on the console.
const expected = [/status of 410/, /status of 400/];

// branded checks that a hosted page wears brio's look: its logo (its
// name as alt text), its colour on the submit button (and links), and,
// with axe, no violation.
async function branded(page, { axe, shotName, shots }) {
  const img = page.locator('header.brand img');
  await img.waitFor();
  assert.equal(await img.getAttribute('alt'), name);
  assert.equal(await img.getAttribute('src'), logo);
  assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the logo did not load');
  assert.equal((await img.boundingBox()).height, 48);
  const button = page.locator('main button[type=submit]').first();
  if (await button.count()) {
    assert.equal(await button.evaluate((el) => getComputedStyle(el).backgroundColor), colorRGB, `${page.url()}: button colour`);
  }
  const link = page.locator('main a').first();
  if (await link.count()) {
    assert.equal(await link.evaluate((el) => getComputedStyle(el).color), colorRGB, `${page.url()}: link colour`);
  }
  if (axe) await axeCheck(page);
  if (shots) await shot(world, page, shotName);
}

// flow logs email in to brio by link or code in a browser of size opts,
// checking every page on the way. axe: a bypassCSP context with axe-core;
// otherwise the CSP is enforced and the watcher fails on any violation.
async function flow(t, opts, via, axe) {
  const size = opts === desktop ? 'desktop' : 'phone';
  const email = `${via}.${size}.${axe ? 'axe' : 'csp'}@brio.example`;
  await invite(world.base, email, brioKey);
  const shots = !axe;
  const open = async () => {
    const p = await newPage(world, { ...opts, bypassCSP: axe }, expected);
    t.after(() => p.ctx.close());
    return p;
  };
  const { page, w } = await open();
  assert.equal((await page.goto(`${world.base}/p/brio`)).status(), 200);
  await page.getByRole('heading', { level: 1, name: `Log in to ${name}` }).waitFor();
  await branded(page, { axe, shots, shotName: `brand-login-${size}` });

  const n = (await messagesTo(world.base, email)).length;
  await page.locator('#identifier').fill(email);
  await page.locator('form[action="/login"] button[type=submit]').click();
  await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
  await branded(page, { axe, shots, shotName: `brand-check-${size}` });
  const msg = await nextMessage(world.base, email, n);
  assert.ok(msg.subject.includes(name), `subject ${msg.subject} does not name the tenant`);

  if (via === 'code') {
    await page.locator('#code').fill('0'.repeat(codeIn(msg).length));
    await page.locator('form[action="/login/code"] button[type=submit]').click();
    await page.locator('#code-error').waitFor();
    await branded(page, { axe, shots, shotName: `brand-code-error-${size}` });
    await page.locator('#code').fill(codeIn(msg));
    await page.locator('form[action="/login/code"] button[type=submit]').click();
    await page.waitForURL(`${world.base}/portal`);
    assert.equal(await page.locator('#who').innerText(), `Logged in to ${name} as ${email} (via code).`);
    w.check();
    return;
  }
  // The link in another browser: the continue page waits for a press.
  const other = await open();
  const link = linkIn(world.base, msg);
  assert.equal((await other.page.goto(link)).status(), 200);
  await other.page.getByRole('heading', { level: 1, name: `Continue to ${name} portal` }).waitFor();
  await branded(other.page, { axe, shots, shotName: `brand-continue-${size}` });
  await other.page.locator('form#continue button[type=submit]').click();
  await other.page.waitForURL(`${world.base}/portal`);
  assert.equal(await other.page.locator('#who').innerText(), `Logged in to ${name} as ${email} (via link).`);
  // Used now: the error page names the support contact.
  assert.equal((await other.page.goto(link)).status(), 410);
  await other.page.getByRole('heading', { level: 1, name: 'This link is no longer valid' }).waitFor();
  await branded(other.page, { axe, shots, shotName: `brand-error-${size}` });
  assert.equal(await other.page.locator(`.support a[href="mailto:${support.email}"]`).innerText(), support.email);
  assert.equal(await other.page.locator(`.support a[href="${support.url}"]`).innerText(), support.url);
  other.w.check();
  w.check();
}

for (const [size, opts] of [['1280 px', desktop], ['390 px', phone]]) {
  for (const via of ['link', 'code']) {
    test(`brio's look, login by ${via} at ${size}, CSP enforced`, async (t) => { await flow(t, opts, via, false); });
    test(`brio's look, login by ${via} at ${size}, axe-core`, async (t) => { await flow(t, opts, via, true); });
  }
}

test('the generic login page stays neutral', async (t) => {
  const { page, w, ctx } = await newPage(world, { ...desktop, bypassCSP: true });
  t.after(() => ctx.close());
  await page.goto(`${world.base}/login`);
  await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  assert.equal(await page.locator('header.brand, style, img').count(), 0);
  assert.notEqual(await page.locator('button[type=submit]').evaluate((el) => getComputedStyle(el).backgroundColor), colorRGB);
  await axeCheck(page);
  w.check();
});

test("the email wears brio's look", async () => {
  const [msg] = await messagesTo(world.base, 'link.desktop.csp@brio.example');
  assert.ok(msg, 'no email');
  assert.ok(msg.html.includes(`bgcolor="${color}"`), 'the button is not in the brand colour');
  assert.ok(msg.text.includes(support.email) && msg.text.includes(support.url), msg.text);
  assert.ok(msg.html.includes(`href="mailto:${support.email}"`), 'no support link in the HTML part');
  assert.ok(msg.html.includes(`<img src="${world.base}${logo}" alt="${name}"`), 'no logo in the HTML part');
});
