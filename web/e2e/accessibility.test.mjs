// The portal with the keyboard alone and on a phone: signing in without a
// mouse, every control labelled, focus visible, text contrast at WCAG AA,
// and no page wider than a 390 px screen.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoPageErrors, screenshot, signIn } from './support/browser.mjs';
import { startHubAndBrowser, stopHubAndBrowser } from './support/live.mjs';
import { lowContrastText, unlabelledControls, widerThanScreen } from './support/page_checks.mjs';

let hub;
let browser;

// Whether a cell is shown whole within a screen `width` wide.
async function cellOnScreen(cell, width) {
  const box = await cell.boundingBox();
  return box !== null && box.width > 0 && box.x >= 0 && box.x + box.width <= width;
}
before(async () => { ({ hub, browser } = await startHubAndBrowser()); });
after(() => stopHubAndBrowser({ hub, browser }));

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
  // Signed, the signatures table shows when and the check within the screen.
  hub.cli('officer', ['request', 'sign', created.id, '--key', hub.keyFile('officer')]);
  await officer.goto(`/requests/${created.id}`);
  await officer.getByRole('heading', { name: created.reference }).waitFor();
  const signatures = officer.getByRole('table', { name: 'Signatures' });
  await signatures.getByRole('row', { name: /officer/ }).waitFor();
  for (const column of ['Signed', 'Check']) {
    const cell = signatures.locator(`td[data-label="${column}"]`).first();
    assert.ok(await cellOnScreen(cell, 390), `the ${column} column is on a 390 px screen`);
  }
  assert.equal(await widerThanScreen(officer), false);
  await screenshot(officer, 'accessibility', '2-request-390px');
  // The skip link is the first stop and takes the keyboard to the content.
  await officer.keyboard.press('Tab');
  assert.equal(await officer.evaluate(() => document.activeElement?.textContent), 'Skip to content');

  // The dashboard shows each request's deadline and what it needs of you within the screen.
  await officer.goto('/');
  const row = officer.getByRole('row', { name: new RegExp(created.reference) });
  await row.getByText('ready to submit').or(row.getByText('signatures missing')).first().waitFor();
  for (const column of ['Deadline', 'Needs you']) {
    assert.ok(await cellOnScreen(row.locator(`td[data-label="${column}"]`), 390), `the ${column} column is on a 390 px screen`);
  }
  await screenshot(officer, 'accessibility', '3-dashboard-390px');

  // Cancelling asks first, and takes a reason.
  await officer.goto(`/requests/${created.id}`);
  await officer.getByRole('button', { name: 'Cancel request' }).click();
  const confirm = officer.getByRole('form', { name: 'Cancel request' });
  await confirm.getByRole('button', { name: 'Keep the request' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.equal((await hub.api('officer', 'GET', `/api/v1/requests/${created.id}`)).status, 'draft');
  await officer.getByRole('button', { name: 'Cancel request' }).click();
  await confirm.getByLabel('Reason for cancelling (optional)').fill('Opened twice by mistake.');
  await confirm.getByRole('button', { name: 'Yes, cancel the request' }).click();
  await officer.locator('.badge', { hasText: 'Cancelled' }).waitFor();
  await officer.locator('.timeline').getByText('Opened twice by mistake.').waitFor();
  assert.equal(await officer.locator('.request-head .countdown').count(), 0);
  assertNoPageErrors(officer);
});
