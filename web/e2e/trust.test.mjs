// What makes a provider trust a request, seen in the browser: an emergency
// needs a supervisor of the officer's own organisation, and a request
// altered after signing is quarantined and never reaches the provider.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoPageErrors, enrolBrowserKey, screenshot, signIn } from './support/browser.mjs';
import { startHubAndBrowser, stopHubAndBrowser } from './support/live.mjs';

let hub;
let browser;
before(async () => { ({ hub, browser } = await startHubAndBrowser()); });
after(() => stopHubAndBrowser({ hub, browser }));

function demoDraft() {
  return JSON.parse(readFileSync(path.join(hub.data, 'demo-request.json'), 'utf8'));
}

test('an emergency goes out only with the supervisor\'s confirmation', async () => {
  const shots = 'emergency';
  const draft = demoDraft();
  delete draft.route;
  const created = await hub.api('officer', 'POST', '/api/v1/requests', {
    ...draft, kind: 'emergency_disclosure',
    emergency_justification: 'A caller named a time and place for an attack on a person at 14:00 today.',
  });
  const officer = await signIn(browser, hub, 'officer');
  await enrolBrowserKey(officer, hub, 'officer', 'police', 'officer');
  await officer.goto(`/requests/${created.id}`);
  await officer.getByRole('button', { name: 'Sign as officer' }).click();
  await officer.getByRole('table', { name: 'Signatures' }).getByRole('row', { name: /officer/ }).waitFor();
  // Without the supervisor the page says so, and the hub refuses to submit.
  await officer.getByText(/supervisor/i).first().waitFor();
  await officer.getByRole('button', { name: 'Submit' }).click();
  await officer.getByRole('alert').filter({ hasText: /supervisor/i }).first().waitFor();
  assert.equal((await hub.api('officer', 'GET', `/api/v1/requests/${created.id}`)).status, 'draft');

  const supervisor = await signIn(browser, hub, 'supervisor');
  await enrolBrowserKey(supervisor, hub, 'supervisor', 'police', 'supervisor,officer');
  await supervisor.goto(`/requests/${created.id}`);
  await supervisor.getByLabel('Sign as').selectOption('supervisor');
  await supervisor.getByRole('button', { name: 'Sign as supervisor' }).click();
  await supervisor.getByRole('table', { name: 'Signatures' }).getByRole('row', { name: /supervisor/ }).waitFor();

  await officer.reload();
  await officer.getByText('Every signature it needs is there.').waitFor();
  await officer.getByRole('button', { name: 'Submit' }).click();
  await officer.locator('.badge', { hasText: 'Submitted' }).waitFor();

  // The provider sees an emergency on its eight-hour clock, verified, with
  // the call-back contact the central authority vouches for.
  const analyst = await signIn(browser, hub, 'analyst');
  await analyst.getByLabel('Emergencies only').check();
  const row = analyst.getByRole('row', { name: new RegExp(created.reference) });
  await row.getByText(/^7 h 5\d min left$|^8 h left$/).waitFor();
  await screenshot(analyst, shots, '1-provider-queue-emergencies');
  await row.getByRole('link', { name: created.reference }).click();
  await analyst.getByText('Every signature and certificate chain verified on receipt').waitFor();
  await analyst.getByText('+31205550100').waitFor();
  await analyst.getByRole('table', { name: 'Signatures' }).getByRole('row', { name: /supervisor/ }).waitFor();
  await screenshot(analyst, shots, '2-provider-emergency');
  assertNoPageErrors(officer, supervisor, analyst);
});

test('a request altered after signing is quarantined, with the reason, and never queued', async () => {
  const shots = 'quarantine';
  const created = await hub.api('officer', 'POST', '/api/v1/requests', demoDraft());
  hub.cli('officer', ['request', 'sign', created.id, '--key', hub.keyFile('officer')]);
  await hub.api('officer', 'PUT', `/api/v1/requests/${created.id}/validator`, { organisation_id: hub.orgId('prosecutor') });
  hub.cli('prosecutor', ['request', 'sign', created.id, '--key', hub.keyFile('prosecutor'), '--as', 'validator']);
  const signed = await hub.api('officer', 'GET', `/api/v1/requests/${created.id}/signed`);
  // Someone between the officer and the hub widens what is asked for.
  const tampered = structuredClone(signed);
  tampered.payload.request_id = randomUUID();
  tampered.payload.targets.push({ kind: 'email', value: 'bystander@example.org' });
  const received = await hub.api('officer', 'POST', '/api/v1/requests/signed', tampered);
  assert.equal(received.status, 'quarantined');

  const officer = await signIn(browser, hub, 'officer');
  await officer.goto(`/requests/${received.id}`);
  await officer.locator('.badge', { hasText: 'Quarantined' }).waitFor();
  await officer.getByText(/Quarantined on receipt: .*signature/i).waitFor();
  await officer.getByText('signature_invalid').first().waitFor();
  const check = officer.getByRole('table', { name: 'Signatures' }).getByRole('row', { name: /officer/ });
  assert.match(await check.innerText(), /signature_invalid/);
  await screenshot(officer, shots, '1-officer-quarantined');

  const analyst = await signIn(browser, hub, 'analyst');
  await analyst.getByLabel('Status').selectOption('');
  await analyst.getByRole('heading', { name: 'Request queue' }).waitFor();
  assert.equal(await analyst.getByRole('row', { name: new RegExp(received.reference) }).count(), 0);
  await analyst.goto(`/requests/${received.id}`);
  await analyst.getByText('There is no such request, or it is not yours to see.').waitFor();
  assertNoPageErrors(officer, analyst);
});
