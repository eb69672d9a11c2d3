// The portal with the keyboard alone and on a phone: signing in without a
// mouse, every control labelled, focus visible, text contrast at WCAG AA,
// and no page wider than a 390 px screen.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoPageErrors, launch, screenshot, signIn } from './support/browser.mjs';
import { Hub } from './support/hub.mjs';
import { lowContrastText, unlabelledControls, widerThanScreen } from './support/page_checks.mjs';

let hub;
let browser;
before(async () => {
  hub = await Hub.start();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await hub?.stop();
});

test('signing in with the keyboard alone, with focus always visible', async () => {
  const context = await browser.newContext({ baseURL: hub.url, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('E-mail address').waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  assert.equal(await widerThanScreen(page), false);
  assert.deepEqual(await lowContrastText(page), []);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'email');
  // The focused control carries the focus ring.
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none');
  await page.keyboard.type(hub.user('analyst').email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(hub.user('analyst').password);
  await page.keyboard.press('Tab');
  await page.keyboard.type(await hub.totpFor('analyst'));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Request queue' }).waitFor();
  await screenshot(page, 'accessibility', '1-queue-390px');
  assert.equal(await widerThanScreen(page), false);
  assert.deepEqual(await lowContrastText(page), []);
  assert.deepEqual(await unlabelledControls(page), []);
  await context.close();
});

test('the request pages are labelled and fit a phone', async () => {
  const draft = JSON.parse(readFileSync(path.join(hub.data, 'demo-request.json'), 'utf8'));
  const created = await hub.api('officer', 'POST', '/api/v1/requests', draft);
  const officer = await signIn(browser, hub, 'officer', { viewport: { width: 390, height: 844 } });
  for (const address of ['/', '/new', `/requests/${created.id}`, '/keys', '/transparency']) {
    await officer.goto(address);
    await officer.getByRole('heading', { level: 1 }).first().waitFor();
    assert.deepEqual(await unlabelledControls(officer), [], address);
    assert.equal(await widerThanScreen(officer), false, `${address} is wider than the screen`);
    assert.deepEqual(await lowContrastText(officer), [], address);
  }
  await officer.goto(`/requests/${created.id}`);
  await officer.getByRole('heading', { name: created.reference }).waitFor();
  await screenshot(officer, 'accessibility', '2-request-390px');
  // The skip link is the first stop and takes the keyboard to the content.
  await officer.keyboard.press('Tab');
  assert.equal(await officer.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  assertNoPageErrors(officer);
});
