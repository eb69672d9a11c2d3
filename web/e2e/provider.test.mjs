// The provider's own records in the browser: its analyst releases a legal
// hold with the reason, and its org admin keeps its directory entry true, with
// the hub's refusals shown at their fields.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoPageErrors, screenshot, signIn } from './support/browser.mjs';
import { startHubAndBrowser, stopHubAndBrowser } from './support/live.mjs';

let hub;
let browser;
before(async () => { ({ hub, browser } = await startHubAndBrowser()); });
after(() => stopHubAndBrowser({ hub, browser }));

const act = (who, id, action, extra = {}) =>
  hub.api(who, 'POST', `/api/v1/requests/${id}/actions`, { action, ...extra });

test('the analyst releases a legal hold, with the reason', async () => {
  const draft = JSON.parse(readFileSync(path.join(hub.data, 'demo-request.json'), 'utf8'));
  delete draft.route;
  const created = await hub.api('officer', 'POST', '/api/v1/requests', {
    ...draft, kind: 'preservation', period: { start: '2026-10-01T00:00:00Z', end: '2026-10-31T00:00:00Z' },
  });
  hub.cli('officer', ['request', 'sign', created.id, '--key', hub.keyFile('officer')]);
  // A European Preservation Order from the police needs a prosecutor's validation.
  await hub.api('officer', 'PUT', `/api/v1/requests/${created.id}/validator`, { organisation_id: hub.orgId('prosecutor') });
  hub.cli('prosecutor', ['request', 'sign', created.id, '--key', hub.keyFile('prosecutor'), '--as', 'validator']);
  await act('officer', created.id, 'submit');
  await act('analyst', created.id, 'acknowledge');
  await act('analyst', created.id, 'accept');
  await act('analyst', created.id, 'preserve', { preserved_until: '2027-03-01T00:00:00Z' });

  // The officer extends the preservation from the request page; the hold follows.
  const officer = await signIn(browser, hub, 'officer', { timezoneId: 'Europe/Amsterdam' });
  await officer.goto(`/requests/${created.id}`);
  // The period of the data is shown in the reader's time (Amsterdam, an hour ahead in October).
  const period = officer.getByRole('region', { name: 'What is asked' }).getByText(/^From .* to /);
  await period.waitFor();
  assert.match(await period.innerText(), /Oct 1, 2026.*2:00.*Oct 31, 2026.*1:00/);
  await officer.getByRole('button', { name: 'Extend preservation' }).click();
  const extend = officer.getByRole('form', { name: 'Extend preservation' });
  await extend.getByLabel('Preserve until').fill('2027-01-15T12:00');
  await extend.getByRole('button', { name: 'Extend preservation' }).click();
  await extend.getByLabel('Preserve until').locator('xpath=..').locator('p.error').waitFor();
  // An EPOC-PR is extended by at most 30 days (Regulation (EU) 2023/1543, Art. 11, Annex VI).
  await extend.getByLabel('Preserve until').fill('2027-05-01T12:00');
  await extend.getByRole('button', { name: 'Extend preservation' }).click();
  await extend.getByText(/at most 30 days/).waitFor();
  await extend.getByLabel('Preserve until').fill('2027-03-20T12:00');
  await extend.getByRole('button', { name: 'Extend preservation' }).click();
  await officer.getByRole('form', { name: 'Extend preservation' }).waitFor({ state: 'detached' });
  const extended = await hub.api('officer', 'GET', `/api/v1/requests/${created.id}`);
  assert.equal(extended.status, 'preserved');
  assert.match(extended.preserved_until, /^2027-03-20T/);
  await screenshot(officer, 'provider', '0-officer-extended');

  const analyst = await signIn(browser, hub, 'analyst');
  await analyst.getByRole('link', { name: 'Legal holds' }).click();
  await analyst.getByRole('heading', { name: 'Legal holds' }).waitFor();
  const hold = analyst.getByRole('article', { name: /Hold on suspect\.mailbox@example\.org/ });
  await hold.getByText('Active').waitFor();
  await hold.getByText('Open the request').waitFor();
  await hold.getByText('Extended').waitFor();
  await screenshot(analyst, 'provider', '1-holds');

  // Without a reason nothing is sent; with one the hold and its request are released.
  await hold.getByRole('button', { name: 'Release' }).click();
  await hold.getByText('say why the data need no longer be kept').waitFor();
  assert.equal((await hub.api('analyst', 'GET', `/api/v1/requests/${created.id}`)).status, 'preserved');
  await hold.getByLabel('Reason for releasing').fill('The authority closed the investigation.');
  await hold.getByRole('button', { name: 'Release' }).click();
  await analyst.getByText('No holds match.').waitFor();
  await analyst.getByLabel('Status').selectOption('released');
  await analyst.getByRole('article', { name: /Hold on/ }).getByText('The authority closed the investigation.').waitFor();
  assert.equal((await hub.api('analyst', 'GET', `/api/v1/requests/${created.id}`)).status, 'released');
  assertNoPageErrors(analyst);
});

test('the provider\'s org admin edits its directory entry', async () => {
  const admin = await signIn(browser, hub, 'provider_admin');
  await admin.getByRole('link', { name: 'Directory entry' }).click();
  await admin.getByRole('heading', { name: 'Directory entry' }).waitFor();
  await admin.getByText('Version 1').waitFor();
  const days = admin.getByLabel('Days kept on a preservation request');
  assert.equal(await days.inputValue(), '90');

  // The hub's refusal lands at the field it names.
  await admin.getByLabel('Emergency telephone').fill('call us');
  await admin.getByRole('button', { name: 'Save a new version' }).click();
  const phone = admin.locator('.field.has-error', { has: admin.getByLabel('Emergency telephone') });
  await phone.locator('p.error').waitFor();
  assert.equal((await hub.api('provider_admin', 'GET', '/api/v1/directory/example-mail')).version, 1);

  await admin.getByLabel('Emergency telephone').fill('+35315550199');
  await days.fill('180');
  await admin.getByRole('button', { name: 'Save a new version' }).click();
  await admin.getByText('Saved as version 2.').waitFor();
  await screenshot(admin, 'provider', '2-directory-entry');
  const stored = await hub.api('provider_admin', 'GET', '/api/v1/directory/example-mail');
  assert.equal(stored.version, 2);
  assert.equal(stored.preservation_policy.days, 180);
  assert.equal(stored.contact.emergency_phone, '+35315550199');
  assert.equal(stored.example, true, 'what the form does not show is kept');
  const revisions = await hub.api('provider_admin', 'GET', '/api/v1/directory/example-mail/revisions');
  assert.equal(revisions.items.length, 2);

  // An analyst has neither page in the navigation.
  const analyst = await signIn(browser, hub, 'analyst');
  assert.equal(await analyst.getByRole('link', { name: 'Directory entry' }).count(), 0);
  assertNoPageErrors(admin, analyst);
});
