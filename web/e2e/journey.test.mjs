// The whole journey of one request across both sides, in the browser: the
// officer submits a request that a prosecutor co-signed, the provider
// acknowledges it, asks a question, gets the answer, accepts and uploads a
// sealed evidence package, and the officer downloads it and sees the
// ledger receipts.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoPageErrors, enrolBrowserKey, screenshot, signIn } from './support/browser.mjs';
import { startHubAndBrowser, stopHubAndBrowser } from './support/live.mjs';

let hub;
let browser;
before(async () => { ({ hub, browser } = await startHubAndBrowser()); });
after(() => stopHubAndBrowser({ hub, browser }));

test('a request from the officer to the provider and its evidence back', async () => {
  const shots = 'journey';
  // The officer drafts the request in the wizard, in Amsterdam's time.
  const officer = await signIn(browser, hub, 'officer', { timezoneId: 'Europe/Amsterdam' });
  await enrolBrowserKey(officer, hub, 'officer', 'police', 'officer');
  await officer.getByRole('link', { name: 'New request' }).click();
  await officer.getByLabel('Provider', { exact: true }).selectOption({ label: 'Example Mail (Example Mail Ltd, IE) — example entry' });
  const epoc = officer.getByRole('radio', { name: /European Production Order for subscriber data/ });
  await epoc.waitFor();
  assert.ok(await epoc.isChecked());
  await officer.getByText(/Why other routes are closed/).click();
  await screenshot(officer, shots, '0-officer-wizard-routes');
  // Saved empty, every missing field is named beside it.
  await officer.getByRole('button', { name: 'Save the draft' }).click();
  await officer.getByLabel('Your case number (required by this route)').and(officer.locator('[aria-invalid=true]')).waitFor();
  await officer.getByLabel('Identifier').and(officer.locator('[aria-invalid=true]')).waitFor();
  // All at once, in the same round: not only the first field.
  for (const name of ['Legal instrument', 'Article', 'Offence (required by this route)', 'Domestic legal basis (required by this route)']) {
    assert.equal(await officer.getByLabel(name, { exact: true }).getAttribute('aria-invalid'), 'true', name);
  }
  // Editing a field takes its error away.
  await officer.getByLabel('Legal instrument').fill('R');
  assert.equal(await officer.getByLabel('Legal instrument').getAttribute('aria-invalid'), 'false');
  await officer.getByLabel('Identifier').fill('suspect.mailbox');
  await officer.getByRole('button', { name: 'Add a target' }).click();
  const ip = officer.getByRole('group', { name: 'Target 2' });
  await ip.getByLabel('Kind').selectOption('ip');
  await ip.getByLabel('Identifier').fill('192.0.2.44');
  await ip.getByText(/cannot be attributed behind carrier-grade NAT/).waitFor();
  await ip.getByLabel('Source port').fill('51234');
  await ip.getByLabel('Observed at (your time)').fill('2026-11-02T10:15:00');
  assert.equal(await ip.getByText(/cannot be attributed/).count(), 0);
  await officer.getByLabel('Legal instrument').fill('Regulation (EU) 2023/1543');
  await officer.getByLabel('Article').fill('Art. 4(1), 5(3)');
  await officer.getByLabel('Domestic legal basis (required by this route)').fill('Wetboek van Strafvordering art. 126na');
  await officer.getByLabel('Offence (required by this route)').fill('Invoice fraud: a mailbox at Example Mail sent forged invoices to 40 companies.');
  await officer.getByLabel(/^Maximum penalty \(months\)/).fill('72');
  await officer.getByLabel('Your case number (required by this route)').fill('NPCU-2026-0142');
  // A period that ends before it starts is flagged under Data until, in the page's words.
  await officer.getByLabel('Data from').fill('2026-11-10T00:00');
  await officer.getByLabel('Data until').fill('2026-11-01T00:00');
  await officer.getByRole('button', { name: 'Save the draft' }).click();
  await officer.getByLabel('Data until').and(officer.locator('[aria-invalid=true]')).waitFor();
  assert.equal(await officer.getByLabel('Data from').getAttribute('aria-invalid'), 'false');
  await officer.getByText('must be after Data from').waitFor();
  await officer.getByLabel('Data from').fill('');
  await officer.getByLabel('Data until').fill('');
  // The hub's error on the identifier is shown at it without the field's path.
  await officer.getByRole('button', { name: 'Save the draft' }).click();
  const mailbox = officer.getByRole('group', { name: 'Target 1' });
  await mailbox.getByText("e-mail address has no '@'").waitFor();
  assert.doesNotMatch(await mailbox.locator('.error').innerText(), /value:|targets\//);
  await mailbox.getByLabel('Identifier').fill('suspect.mailbox@example.org');
  assert.equal(await mailbox.locator('.error').count(), 0);
  await officer.getByRole('button', { name: 'Save the draft' }).click();
  await officer.locator('.badge', { hasText: 'Draft' }).waitFor();
  const id = officer.url().split('/').pop();
  const created = await hub.api('officer', 'GET', `/api/v1/requests/${id}`);
  assert.equal(created.route, 'eu-2023-1543/epoc-subscriber');
  assert.deepEqual(created.targets[1], { kind: 'ip', value: '192.0.2.44', port: 51234, observed_at: '2026-11-02T09:15:00Z' });

  // Submitted unsigned, the hub refuses; the refusal goes once it is signed.
  await officer.getByRole('button', { name: 'Submit' }).click();
  const refusal = officer.locator('section.actions [role=alert]');
  await refusal.waitFor();
  // The officer signs in the browser with the key made there, and asks the
  // prosecutor's office the route names to validate.
  await officer.getByRole('button', { name: 'Sign as officer' }).click();
  await officer.getByRole('table', { name: 'Signatures' }).getByRole('row', { name: /officer/ }).waitFor();
  await officer.getByText(/^You signed this draft as officer on /).waitFor();
  assert.equal(await officer.getByRole('button', { name: /^Sign as/ }).count(), 0, 'no second signature is offered');
  assert.equal(await refusal.count(), 0, 'the refusal to submit unsigned is gone once signed');
  await officer.getByLabel('Ask for validation by').selectOption({ label: 'Northport Public Prosecutor\'s Office' });
  await officer.getByRole('button', { name: 'Ask', exact: true }).click();
  await officer.getByText('Validation requested').waitFor();
  await officer.getByText('Validation asked of Northport Public Prosecutor\'s Office.').waitFor();
  assert.equal(await officer.getByLabel('Ask for validation by').inputValue(), hub.orgId('prosecutor'));

  // The prosecutor finds it, co-signs in the browser.
  const prosecutor = await signIn(browser, hub, 'prosecutor');
  await enrolBrowserKey(prosecutor, hub, 'prosecutor', 'prosecutor', 'validator');
  await prosecutor.goto('/');
  const asked = prosecutor.getByRole('row', { name: new RegExp(created.reference) });
  await asked.getByText('asked to validate').waitFor();
  await asked.getByRole('link', { name: created.reference }).click();
  await prosecutor.getByRole('button', { name: 'Sign as validator' }).click();
  await prosecutor.getByRole('table', { name: 'Signatures' }).getByRole('row', { name: /validator/ }).waitFor();
  await prosecutor.getByText(/^You signed this draft as validator on /).waitFor();
  assert.equal(await prosecutor.getByRole('button', { name: /^Sign as/ }).count(), 0, 'no second signature is offered');
  // The validating office co-signs but is no party to the conversation.
  assert.equal(await prosecutor.getByRole('form', { name: 'New message' }).count(), 0);
  assert.equal(await prosecutor.getByRole('form', { name: 'Attach a document' }).count(), 0);
  await screenshot(prosecutor, shots, '0-validator-cosigned');

  // The officer sees the draft ready and submits it.
  await officer.reload();
  await officer.getByText('Every signature it needs is there.').waitFor();
  await screenshot(officer, shots, '1-officer-draft');
  await officer.getByRole('button', { name: 'Submit' }).click();
  await officer.locator('.badge', { hasText: 'Submitted' }).waitFor();

  // The provider's queue has it; its signatures verified on receipt.
  const analyst = await signIn(browser, hub, 'analyst');
  await analyst.getByRole('heading', { name: 'Request queue' }).waitFor();
  const row = analyst.getByRole('row', { name: new RegExp(created.reference) });
  await row.getByText('new: acknowledge').waitFor();
  await screenshot(analyst, shots, '2-provider-queue');
  await row.getByRole('link', { name: created.reference }).click();
  await analyst.getByText('Every signature and certificate chain verified on receipt').waitFor();
  // What is asked names the authority's case number, the period and the gag order.
  const whatIsAsked = analyst.getByRole('region', { name: 'What is asked' });
  await whatIsAsked.getByText('NPCU-2026-0142').waitFor();
  await whatIsAsked.getByText(/^No period given/).waitFor();
  await whatIsAsked.getByText(/^None: the provider's own user-notification policy applies/).waitFor();
  await analyst.getByRole('form', { name: 'New message' }).waitFor();
  const signers = analyst.getByRole('table', { name: 'Signatures' });
  await signers.getByRole('row', { name: /officer/ }).waitFor();
  await signers.getByRole('row', { name: /validator/ }).waitFor();
  // Both keys were certified minutes before they signed: the counter names
  // each signer in words.
  const anomalies = analyst.locator('dl.anomalies');
  await anomalies.getByText(/Olivia Brandt \(officer\), key [0-9a-f]{16}, signed (within a minute|\d+ min after)/).waitFor();
  assert.ok(!(await anomalies.innerText()).includes('{'), 'anomaly counters show no raw JSON');
  await screenshot(analyst, shots, '3-provider-verification');
  await analyst.getByRole('button', { name: 'Acknowledge' }).click();
  await analyst.locator('.badge', { hasText: 'Acknowledged' }).waitFor();

  // A question, refused while empty, then sent.
  await analyst.getByRole('button', { name: 'Ask a question' }).click();
  const ask = analyst.getByRole('form', { name: 'Ask a question' });
  await ask.getByRole('button', { name: 'Ask a question' }).click();
  await ask.getByRole('alert').waitFor();
  assert.match(await ask.getByRole('alert').innerText(), /is required/);
  await ask.getByLabel('Your question to the authority').fill('Is the mailbox suspect.mailbox@example.org the only account?');
  await ask.getByRole('button', { name: 'Ask a question' }).click();
  await analyst.locator('.badge', { hasText: 'Question asked' }).waitFor();
  const questioned = await hub.api('analyst', 'GET', `/api/v1/requests/${created.id}`);
  // The route stops the clock while the authority answers: the page says so.
  assert.equal(questioned.due_at, null);
  assert.match(questioned.due_rule, /clock is stopped/);
  await analyst.locator('.request-head').getByText('clock paused while the authority answers').waitFor();

  // The officer answers from the dashboard's "needs you".
  await officer.goto('/');
  const mine = officer.getByRole('row', { name: new RegExp(created.reference) });
  await mine.getByText('the provider asked a question').waitFor();
  await mine.getByRole('link', { name: created.reference }).click();
  await officer.getByText('Is the mailbox suspect.mailbox@example.org the only account?').first().waitFor();
  await officer.getByRole('button', { name: 'Answer the question' }).click();
  await officer.getByLabel('Your answer to the provider').fill('Yes, only that one.');
  await officer.getByRole('form', { name: 'Answer the question' }).getByRole('button', { name: 'Answer the question' }).click();
  await officer.locator('.badge', { hasText: 'Question answered' }).waitFor();

  // The provider accepts, seals on its own side, and uploads the package.
  await analyst.reload();
  await analyst.getByText('Yes, only that one.').first().waitFor();
  await analyst.getByRole('button', { name: 'Accept' }).click();
  await analyst.locator('.badge', { hasText: 'Accepted' }).waitFor();
  const export_ = path.join(hub.dir, 'subscriber.csv');
  writeFileSync(export_, 'account,created,last_login_ip\nsuspect.mailbox@example.org,2025-04-01,192.0.2.44\n');
  const sealed = path.join(hub.dir, 'production.lep');
  hub.cli('analyst', ['evidence', 'seal', '--request', created.id, '--key', hub.keyFile('analyst'), '--out', sealed, export_]);
  // A file that is not a package is refused at the field, and the form is
  // free for the right one at once.
  const notAPackage = path.join(hub.dir, 'notes.txt');
  writeFileSync(notAPackage, 'this is the export before sealing, not a package\n');
  await analyst.getByLabel('Sealed package file').setInputFiles(notAPackage);
  await analyst.getByRole('button', { name: 'Upload package' }).click();
  await analyst.locator('.field.has-error', { has: analyst.getByLabel('Sealed package file') }).locator('p.error').waitFor();
  await analyst.getByLabel('Sealed package file').setInputFiles(sealed);
  await analyst.getByRole('button', { name: 'Upload package' }).click();
  await analyst.getByRole('article', { name: /Evidence package/ }).waitFor();
  await analyst.getByRole('button', { name: 'Mark as produced' }).click();
  await analyst.locator('.badge', { hasText: 'Produced' }).waitFor();
  // Answered, it counts down no more.
  assert.equal(await analyst.locator('.request-head .countdown').count(), 0, 'no countdown once produced');
  await screenshot(analyst, shots, '4-provider-produced');

  // The officer downloads exactly the sealed bytes and sees the receipts.
  await officer.reload();
  await officer.locator('.badge', { hasText: 'Produced' }).waitFor();
  const card = officer.getByRole('article', { name: /Evidence package/ });
  await card.getByText('The portal never decrypts', { exact: false }).or(officer.getByText('The portal never decrypts', { exact: false })).first().waitFor();
  const [download] = await Promise.all([officer.waitForEvent('download'), card.getByRole('link', { name: /\.lep$/ }).click()]);
  const saved = path.join(hub.dir, 'downloaded.lep');
  await download.saveAs(saved);
  assert.deepEqual(readFileSync(saved), readFileSync(sealed));
  await officer.getByText(/Ledger entry #\d+, in the signed checkpoint/).first().waitFor();
  await screenshot(officer, shots, '5-officer-evidence-and-receipts');
  const receipts = await hub.api('officer', 'GET', `/api/v1/requests/${created.id}/receipts`);
  assert.ok(receipts.receipts.length >= 8, `expected a receipt per step, got ${receipts.receipts.length}`);
  // The download is in the chain of custody, which names each custodian.
  const packages = await hub.api('officer', 'GET', `/api/v1/requests/${created.id}/packages`);
  assert.ok(packages.items[0].custody.some((c) => c.kind === 'download'));
  await officer.reload();
  await card.getByText(/Chain of custody/).click();
  const custody = card.locator('ol.custody');
  await custody.getByText(/Olivia Brandt \(Northport Police[^)]*\) downloaded bytes/).waitFor();
  await custody.getByText(/\(Example Mail Ltd\) registered the package — verified: signed by/).waitFor();
  const custodyText = await custody.innerText();
  assert.ok(!/null|object Object/.test(custodyText), custodyText);
  assertNoPageErrors(officer, prosecutor, analyst);
});
