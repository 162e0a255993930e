// Real-browser test of issue 11's languages: a customer whose browser
// asks for Spanish (Playwright locale es-ES, so Accept-Language: es-ES)
// logs in to a tenant that offers English and Spanish, on a 390 px
// phone: every hosted page is in Spanish with <html lang="es">, the email
// that arrives is in Spanish, and axe-core finds nothing on any page.
// Screenshots as the pages tests take them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, axeCheck, invite, linkIn, messagesTo, newPage, nextMessage, phone, shot, startWorld } from './harness.mjs';

let world;
let olaKey;
before(async () => {
  world = await startWorld();
  const r = await api(world.base, 'POST', '/dev/tenants', { id: 'ola', name: 'Ola', settings: { locales: ['en', 'es'] } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  olaKey = r.body.apiKey;
});
after(async () => { await world?.stop(); });

// open opens a watched Spanish phone page, axe-ready (bypassCSP), closed when t ends.
async function open(t) {
  const p = await newPage(world, { ...phone, locale: 'es-ES', bypassCSP: true }, [/status of 400/]);
  t.after(() => p.ctx.close());
  return p;
}

// visit checks a hosted page: in Spanish, its heading, axe-core and a screenshot.
async function visit(page, heading, shotName) {
  try {
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  } catch {
    const h1 = await page.locator('h1').first().innerText({ timeout: 1000 }).catch(() => '(none)');
    assert.fail(`${page.url()}: want the page "${heading}", got "${h1}"`);
  }
  assert.equal(await page.locator('html').getAttribute('lang'), 'es', `${page.url()}: <html lang>`);
  await axeCheck(page);
  await shot(world, page, shotName);
}

const codeEs = (msg) => {
  const m = msg.text.match(/O introduzca este código: (\d{4,8})/);
  assert.ok(m, `no Spanish code line in: ${msg.text}`);
  return m[1];
};

test('log in in Spanish by Accept-Language at 390 px', async (t) => {
  const email = 'lucia@example.com';
  await invite(world.base, email, olaKey);
  const { page, w } = await open(t);
  await page.goto(`${world.base}/p/ola`);
  await visit(page, 'Iniciar sesión en Ola', 'es-login-phone');
  assert.equal(await page.locator('label[for=identifier]').innerText(), 'Correo electrónico o número de teléfono');
  // The placeholder shows whole at 390 px.
  const fits = await page.locator('#identifier').evaluate((el) => {
    const c = document.createElement('canvas').getContext('2d');
    const s = getComputedStyle(el);
    c.font = `${s.fontSize} ${s.fontFamily}`;
    const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    return c.measureText(el.placeholder).width <= room;
  });
  assert.ok(fits, 'the Spanish placeholder is cut at 390 px');

  const n = (await messagesTo(world.base, email)).length;
  await page.locator('#identifier').fill(email);
  await page.getByRole('button', { name: 'Enviarme un enlace de acceso' }).click();
  await visit(page, 'Revise su correo', 'es-check-phone');
  const msg = await nextMessage(world.base, email, n);
  assert.equal(msg.subject, 'Su enlace de acceso a Ola');
  assert.ok(msg.text.includes('Este enlace caduca en 10 minutos.'), msg.text);
  assert.ok(msg.html.includes('<html lang="es">'), 'the HTML part does not say Spanish');

  // A wrong code: the error is in Spanish, on the field.
  await page.locator('#code').fill('00000000'.slice(0, codeEs(msg).length));
  await page.getByRole('button', { name: 'Iniciar sesión' }).click();
  await visit(page, 'Revise su correo', 'es-code-error-phone');
  assert.ok((await page.locator('#code-error').innerText()).includes('Ese código no es correcto'));

  // The link, opened in another browser, waits on a Spanish continue page.
  const other = await open(t);
  await other.page.goto(linkIn(world.base, msg));
  await visit(other.page, 'Continuar al portal de Ola', 'es-continue-phone');
  other.w.check();

  await page.locator('#code').fill(codeEs(msg));
  await page.getByRole('button', { name: 'Iniciar sesión' }).click();
  await page.waitForURL(/\/portal$/);
  assert.equal(await page.locator('#who').innerText(), `Logged in to Ola as ${email} (via code).`);
  w.check();
});

test('?lang=en overrides the browser, and the tenant default stands for a language it does not offer', async (t) => {
  const { page, w } = await open(t);
  await page.goto(`${world.base}/login?tenant=ola&lang=en`);
  await page.getByRole('heading', { level: 1, name: 'Log in to Ola' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  // Plain offers only English: a Spanish browser gets English.
  const r = await api(world.base, 'POST', '/dev/tenants', { id: 'plain', name: 'Plain' });
  assert.equal(r.status, 201);
  await page.goto(`${world.base}/login?tenant=plain`);
  await page.getByRole('heading', { level: 1, name: 'Log in to Plain' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  w.check();
});
