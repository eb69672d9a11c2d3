// First sign-in in the browser: a new officer has only the password their
// organisation's administrator set, enrols an authenticator from a QR code,
// chooses their own password, keeps the recovery codes, and later signs in
// with one of them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { screenshot } from './support/browser.mjs';
import { startHubAndBrowser, stopHubAndBrowser } from './support/live.mjs';
import { totp } from './support/hub.mjs';

let hub;
let browser;
before(async () => { ({ hub, browser } = await startHubAndBrowser()); });
after(() => stopHubAndBrowser({ hub, browser }));

test('a new officer enrols an authenticator at first sign-in', async () => {
  const email = 'nina.berg@police.example.org';
  const given = 'handed over at the front desk';
  const own = 'Nina chose this passphrase';
  const nina = await hub.api('police_admin', 'POST', `/api/v1/organisations/${hub.orgId('police')}/users`,
    { name: 'Nina Berg', email, roles: ['officer'] });
  await hub.api('police_admin', 'PUT', `/api/v1/users/${nina.id}/password`, { password: given });

  const context = await browser.newContext({ baseURL: hub.url, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(given);
  // She has no code yet: the hub answers that she must enrol, and the portal
  // shows her the secret at once.
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Set up your authenticator' }).waitFor();
  await page.getByRole('img', { name: 'QR code of the authenticator key' }).locator('svg').waitFor();
  const secret = (await page.getByTestId('totp-secret').textContent()).replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await screenshot(page, 'enrolment', '1-secret');

  // A wrong code and a mistyped repeat are shown next to their fields.
  const step = Math.floor(Date.now() / 30_000);
  const current = new Set([step - 1, step, step + 1].map((s) => totp(secret, s)));
  let wrong = totp(secret, step + 7);
  for (let s = step + 8; current.has(wrong); s++) wrong = totp(secret, s);
  await page.getByLabel('Authenticator code').fill(wrong);
  await page.getByLabel('New password', { exact: true }).fill(own);
  await page.getByLabel('New password again').fill(own + '!');
  await page.getByRole('button', { name: 'Activate and sign in' }).click();
  await page.getByText('does not match the new password').waitFor();
  await page.getByLabel('New password again').fill(own);
  await page.getByRole('button', { name: 'Activate and sign in' }).click();
  const codeError = page.locator('.field.has-error', { has: page.getByLabel('Authenticator code') });
  await codeError.getByText("is not the new authenticator's current code").waitFor();

  await page.getByLabel('Authenticator code').fill(totp(secret, Math.floor(Date.now() / 30_000)));
  await page.getByRole('button', { name: 'Activate and sign in' }).click();
  await page.getByRole('heading', { name: 'Keep your recovery codes' }).waitFor();
  const codes = await page.getByRole('list', { name: 'Recovery codes' }).locator('li').allTextContents();
  assert.equal(codes.length, 10);
  for (const c of codes) assert.match(c, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await screenshot(page, 'enrolment', '2-recovery-codes');
  await page.getByRole('button', { name: 'I have kept them: continue' }).click();
  await page.getByRole('heading', { name: "My organisation's requests" }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();

  // The password she was given no longer works; her own with a recovery code does.
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(given);
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(codes[0]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('the e-mail address, password or code is wrong').waitFor();
  await page.getByLabel('Password').fill(own);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();

  assert.deepEqual(errors, []);
  await context.close();
});
