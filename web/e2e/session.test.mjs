// A browser session as people use one: several tabs on the same sign-in, and
// a session that ends (expired, or signed out elsewhere) while a page is open.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoPageErrors, screenshot, signIn } from './support/browser.mjs';
import { startHubAndBrowser, stopHubAndBrowser } from './support/live.mjs';

let hub;
let browser;
before(async () => { ({ hub, browser } = await startHubAndBrowser()); });
after(() => stopHubAndBrowser({ hub, browser }));

async function saveDaysKept(page, days) {
  await page.getByRole('heading', { name: 'Directory entry' }).waitFor();
  await page.getByLabel('Days kept on a preservation request').fill(String(days));
  await page.getByRole('button', { name: 'Save a new version' }).click();
}

test('a page opened in a second tab can change things, and a session ended elsewhere sends the user to sign in', async () => {
  const first = await signIn(browser, hub, 'provider_admin');
  // Same browser, same cookie: a second tab, opened by address.
  const second = await first.context().newPage();
  await second.goto('/directory-entry');
  await saveDaysKept(second, 120);
  await second.getByText(/Saved as version \d+\./).waitFor();
  assert.equal((await hub.api('provider_admin', 'GET', '/api/v1/directory/example-mail')).preservation_policy.days, 120);

  // Signed out in the second tab; the first still shows a form.
  await first.goto('/directory-entry');
  await second.getByRole('button', { name: 'Sign out' }).click();
  await second.getByRole('button', { name: 'Sign in' }).waitFor();
  await saveDaysKept(first, 150);
  await first.getByText('Your session has ended. Sign in again').waitFor();
  await screenshot(first, 'session', '1-session-ended');
  assert.equal((await hub.api('provider_admin', 'GET', '/api/v1/directory/example-mail')).preservation_policy.days, 120);

  // Signing in again returns to the page the user was on.
  await first.getByLabel('E-mail address').fill(hub.user('provider_admin').email);
  await first.getByLabel('Password').fill(hub.user('provider_admin').password);
  await first.getByLabel('Authenticator code').fill(await hub.totpFor('provider_admin'));
  await first.getByRole('button', { name: 'Sign in' }).click();
  await first.getByRole('heading', { name: 'Directory entry' }).waitFor();
  assert.match(new URL(first.url()).pathname, /^\/directory-entry$/);
  assertNoPageErrors(first);
});
