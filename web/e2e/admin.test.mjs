// The admin area in the browser, against a real hub: an organisation's admin
// creates an account, gives it a first password and disables it, resets an
// authenticator, and adds a certificate and a revocation list made offline;
// a hub administrator creates an organisation and its first admin; an
// officer is offered none of it.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoPageErrors, screenshot, signIn } from './support/browser.mjs';
import { startHubAndBrowser, stopHubAndBrowser } from './support/live.mjs';
import { lowContrastText, unlabelledControls, widerThanScreen } from './support/page_checks.mjs';

let hub;
let browser;
before(async () => { ({ hub, browser } = await startHubAndBrowser()); });
after(() => stopHubAndBrowser({ hub, browser }));

// One signed-in page per person for the whole file: a TOTP code works once,
// so signing the same person in again would wait for the next 30-second step.
const pages = new Map();
async function as(name, viewport = { width: 1280, height: 900 }) {
  if (!pages.has(name)) pages.set(name, await signIn(browser, hub, name));
  const page = pages.get(name);
  await page.setViewportSize(viewport);
  return page;
}

// The error a control announces: what its aria-describedby points at, and
// only the part that is an error, so a hint does not count.
async function errorOf(control) {
  return control.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ')
    .map((id) => document.getElementById(id))
    .filter((e) => e && e.classList.contains('error'))
    .map((e) => e.textContent)
    .join(' '));
}

// Whether the hub would start enrolling an authenticator for this password:
// only an account with that password and no active authenticator gets 201.
async function enrolmentAnswer(email, password) {
  const r = await fetch(`${hub.url}/api/v1/session/enrolment`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  return r.status;
}

function mainNav(page) {
  return page.getByRole('navigation', { name: 'Main' });
}

test('an organisation admin creates a user, sets a first password, disables and re-enables them', async () => {
  const police = hub.orgId('police');
  const admin = await as('police_admin');
  await mainNav(admin).getByRole('link', { name: 'Users' }).click();
  await admin.getByRole('heading', { name: 'Users of Northport Police, Cybercrime Unit' }).waitFor();
  const accounts = admin.getByRole('table', { name: 'Accounts' });
  await accounts.getByRole('row', { name: /Olivia Brandt/ }).waitFor();
  // An authority's accounts are offered an authority's roles only.
  assert.equal(await admin.getByRole('checkbox', { name: /^Officer/ }).count(), 1);
  assert.equal(await admin.getByRole('checkbox', { name: /^Analyst/ }).count(), 0);

  const form = admin.getByRole('form', { name: 'Create a user' });
  const email = form.getByLabel('E-mail address');
  await form.getByLabel('Name', { exact: true }).fill('Noor Bakker');
  await email.fill('olivia.brandt@police.example.org');
  await form.getByRole('checkbox', { name: /^Officer/ }).check();
  await form.getByRole('button', { name: 'Create the user' }).click();
  // The hub's reason lands on the field it names, and nothing is created.
  await form.getByText('a user with this e-mail address exists').waitFor();
  assert.equal(await email.getAttribute('aria-invalid'), 'true');
  assert.equal(await errorOf(email), 'a user with this e-mail address exists');
  await screenshot(admin, 'admin', '1-field-error');

  await email.fill('noor.bakker@police.example.org');
  await form.getByRole('checkbox', { name: /^Officer/ }).uncheck();
  await form.getByRole('button', { name: 'Create the user' }).click();
  const roles = form.getByRole('group', { name: 'Roles' });
  await roles.getByRole('alert').filter({ hasText: 'a user needs at least one role' }).waitFor();
  assert.equal(await errorOf(email), '');

  await form.getByRole('checkbox', { name: /^Officer/ }).check();
  await form.getByRole('checkbox', { name: /^Supervisor/ }).check();
  await form.getByRole('button', { name: 'Create the user' }).click();
  await admin.getByRole('status').filter({ hasText: "Noor Bakker's account is created" }).waitFor();
  const row = accounts.getByRole('row', { name: /Noor Bakker/ });
  assert.match(await row.innerText(), /noor\.bakker@police\.example\.org\s+Officer, Supervisor\s+Active/);
  const listed = (await hub.api('police_admin', 'GET', `/api/v1/organisations/${police}/users`)).items;
  const noor = listed.find((u) => u.email === 'noor.bakker@police.example.org');
  assert.deepEqual([...noor.roles].sort(), ['officer', 'supervisor']);
  assert.equal(await enrolmentAnswer(noor.email, 'not set at all yet'), 401);
  await screenshot(admin, 'admin', '2-user-created');

  // The next step the page gives: a first password, which the hub checks.
  await admin.getByRole('button', { name: 'Set a first password for Noor Bakker' }).click();
  const panel = admin.getByRole('region', { name: 'Set a password for Noor Bakker' });
  // The panel takes the focus, so the keyboard is where the form is.
  await admin.waitForFunction(() => document.activeElement?.textContent === 'Set a password for Noor Bakker');
  const password = panel.getByLabel('New password');
  await password.fill('too short');
  await panel.getByRole('button', { name: 'Set the password' }).click();
  await panel.getByText('must be at least 12 characters long').waitFor();
  assert.equal(await errorOf(password), 'must be at least 12 characters long');
  await panel.getByRole('button', { name: 'Suggest a password' }).click();
  const given = await password.inputValue();
  assert.match(given, /^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
  await screenshot(admin, 'admin', '3-first-password');
  await panel.getByRole('button', { name: 'Set the password' }).click();
  await admin.getByRole('status').filter({ hasText: "Noor Bakker's password is set" }).waitFor();
  // With it, Noor can now start enrolling her authenticator.
  assert.equal(await enrolmentAnswer(noor.email, given), 201);

  await row.getByRole('button', { name: 'Disable Noor Bakker' }).click();
  await row.getByText('Disabled', { exact: true }).waitFor();
  assert.equal((await hub.api('police_admin', 'GET', `/api/v1/users/${noor.id}`)).disabled, true);
  await screenshot(admin, 'admin', '4-user-disabled');
  await row.getByRole('button', { name: 'Enable Noor Bakker' }).click();
  await row.getByText('Active', { exact: true }).waitFor();
  assert.equal((await hub.api('police_admin', 'GET', `/api/v1/users/${noor.id}`)).disabled, false);
  // No one disables their own account here.
  const own = accounts.getByRole('row', { name: /Ada Kramer/ });
  assert.equal(await own.getByRole('button').count(), 0);
  assertNoPageErrors(admin);
});

test('resetting an authenticator asks first, then makes its holder enrol again', async () => {
  const sam = hub.user('supervisor');
  assert.equal(await enrolmentAnswer(sam.email, sam.password), 409);
  const admin = await as('police_admin');
  await admin.goto('/admin/users');
  const row = admin.getByRole('table', { name: 'Accounts' }).getByRole('row', { name: /Sam de Wit/ });
  await row.getByRole('button', { name: 'Reset authenticator of Sam de Wit' }).click();
  const confirm = admin.getByRole('region', { name: "Reset Sam de Wit's authenticator?" });
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  assert.equal(await confirm.count(), 0);
  assert.equal(await enrolmentAnswer(sam.email, sam.password), 409);

  await row.getByRole('button', { name: 'Reset authenticator of Sam de Wit' }).click();
  await screenshot(admin, 'admin', '5-reset-authenticator');
  await confirm.getByRole('button', { name: 'Reset the authenticator' }).click();
  await admin.getByRole('status').filter({ hasText: "Sam de Wit's authenticator and recovery codes are removed" }).waitFor();
  assert.equal(await enrolmentAnswer(sam.email, sam.password), 201);
  assertNoPageErrors(admin);
});

test('an organisation admin adds a certificate made offline, then its revocation', async () => {
  const orgCerts = await hub.api('police_admin', 'GET',
    `/api/v1/trust/certificates?kind=organisation&organisation=${hub.orgId('police')}`);
  const orgCert = path.join(hub.dir, 'police-organisation.cert.json');
  writeFileSync(orgCert, JSON.stringify(orgCerts.items[0].certificate));
  // Lena's key, made on her side; only the public half reaches the admin.
  const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x;
  const lenaCert = path.join(hub.dir, 'lena.cert.json');
  hub.cli('police_admin', ['trust', 'certify-user', '--issuer-key', hub.keyFile('police-organisation'),
    '--issuer-cert', orgCert, '--public-key', publicKey, '--name', 'Lena Peeters',
    '--email', 'lena.peeters@police.example.org', '--roles', 'officer', '--out', lenaCert]);
  const keyId = JSON.parse(readFileSync(lenaCert, 'utf8')).key_id;

  const admin = await as('police_admin');
  await mainNav(admin).getByRole('link', { name: 'Certificates' }).click();
  await admin.getByRole('heading', { name: 'Certificates and trust store' }).waitFor();
  const certificates = admin.getByRole('table', { name: 'Certificates of Northport Police, Cybercrime Unit' });
  await certificates.getByRole('row', { name: /Olivia Brandt/ }).waitFor();
  assert.equal(await certificates.getByRole('row', { name: /Example Mail/ }).count(), 0);

  const form = admin.getByRole('form', { name: 'Add a certificate or revocation list' });
  const content = form.getByLabel('Content of the file (JSON)');
  // The wrong file is named for what it is, before the hub is asked.
  await content.fill(readFileSync(hub.keyFile('officer'), 'utf8'));
  await form.getByText(/This is a private key file/).waitFor();
  assert.match(await errorOf(content), /Never send a key/);

  await form.getByLabel('Certificate or revocation list file').setInputFiles(lenaCert);
  await form.getByRole('definition').filter({ hasText: 'Lena Peeters (lena.peeters@police.example.org)' }).waitFor();
  assert.equal(await errorOf(content), '');
  await form.getByRole('button', { name: 'Add to the trust store' }).click();
  await form.getByRole('status').filter({ hasText: 'The user certificate of Lena Peeters is in the hub\'s trust store now.' }).waitFor();
  const lena = certificates.getByRole('row', { name: /Lena Peeters/ });
  const shownKeyId = keyId.match(/.{4}/g).join(' ');
  assert.match(await lena.innerText(), new RegExp(`User\\s+Officer\\s+${shownKeyId}`));
  await lena.getByText('Valid', { exact: true }).waitFor();
  await screenshot(admin, 'admin', '6-certificate-added');

  // The hub's own refusal goes next to the same field.
  await form.getByLabel('Certificate or revocation list file').setInputFiles(lenaCert);
  await form.getByRole('button', { name: 'Add to the trust store' }).click();
  await form.getByText('The certificate is already in this hub\'s trust store').waitFor();
  assert.match(await errorOf(content), /already in this hub's trust store/);

  const revocations = path.join(hub.dir, 'police-revocations-1.json');
  const at = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  hub.cli('police_admin', ['trust', 'revoke', '--issuer-key', hub.keyFile('police-organisation'),
    '--issuer-cert', orgCert, '--certificate', lenaCert, '--reason', 'key_compromise', '--at', at, '--out', revocations]);
  await form.getByLabel('Certificate or revocation list file').setInputFiles(revocations);
  await form.getByRole('button', { name: 'Publish the revocation list' }).click();
  await form.getByRole('status').filter({ hasText: 'Revocation list 1 of Northport Police, Cybercrime Unit' }).waitFor();
  await lena.getByText('Revoked', { exact: true }).waitFor();
  await lena.getByText(/key compromised/).waitFor();
  await admin.getByRole('table', { name: 'Revocation lists' }).getByRole('row', { name: /Northport Police/ }).waitFor();
  // Only the revoked certificate is marked so.
  await certificates.getByRole('row', { name: /Olivia Brandt/ }).getByText('Valid', { exact: true }).waitFor();
  // Roots are the hub administrators' to choose: the org admin sees no button.
  const roots = admin.getByRole('table', { name: 'Roots' });
  await roots.getByRole('row', { name: /Northport National 24\/7/ }).waitFor();
  assert.equal(await roots.getByRole('button').count(), 0);
  await screenshot(admin, 'admin', '7-certificate-revoked');
  assertNoPageErrors(admin);
});

test('an officer is offered no admin page, and is refused one by address', async () => {
  const officer = await as('officer');
  const nav = mainNav(officer);
  await nav.getByRole('link', { name: 'Requests' }).waitFor();
  for (const name of ['Users', 'Certificates', 'Organisations']) {
    assert.equal(await nav.getByRole('link', { name }).count(), 0, `the officer is offered ${name}`);
  }
  for (const [address, title] of [['/admin/users', 'Users'], ['/admin/trust', 'Certificates and trust store'],
    ['/admin/organisations', 'Organisations']]) {
    await officer.goto(address);
    await officer.getByRole('heading', { name: title, exact: true }).waitFor();
    await officer.getByRole('alert').filter({ hasText: /This page is for .*administrators/ }).waitFor();
    assert.equal(await officer.getByRole('table').count(), 0, address);
    assert.equal(await officer.getByRole('textbox').count(), 0, address);
  }
  await screenshot(officer, 'admin', '8-officer-refused');
  // The hub refuses the officer as well; the page only says so first.
  await assert.rejects(hub.api('officer', 'GET', `/api/v1/organisations/${hub.orgId('police')}/users`), /404/);

  // An organisation's admin is not a hub administrator.
  const admin = await as('police_admin');
  await mainNav(admin).getByRole('link', { name: 'Users' }).waitFor();
  assert.equal(await mainNav(admin).getByRole('link', { name: 'Organisations' }).count(), 0);
  await admin.goto('/admin/organisations');
  await admin.getByRole('alert').filter({ hasText: 'This page is for hub administrators' }).waitFor();
  assert.equal(await admin.getByRole('button', { name: 'Create the organisation' }).count(), 0);
  assertNoPageErrors(officer, admin);
});

test('the admin pages are labelled, readable and fit a phone', async () => {
  const admin = await as('police_admin', { width: 390, height: 844 });
  const hubAdmin = await as('hub_admin', { width: 390, height: 844 });
  for (const [page, address] of [[admin, '/admin/users'], [admin, '/admin/trust'], [hubAdmin, '/admin/organisations'],
    [hubAdmin, '/admin/users'], [hubAdmin, '/admin/trust']]) {
    await page.goto(address);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.getByRole('table').first().waitFor();
    assert.deepEqual(await unlabelledControls(page), [], address);
    assert.equal(await widerThanScreen(page), false, `${address} is wider than the screen`);
    assert.deepEqual(await lowContrastText(page), [], address);
  }
  await admin.goto('/admin/users');
  await admin.getByRole('table', { name: 'Accounts' }).waitFor();
  await screenshot(admin, 'admin', '9-users-390px');
  assertNoPageErrors(admin, hubAdmin);
});

test('the hub administrator creates an organisation and its first admin', async () => {
  const page = await as('hub_admin');
  // The home page is the administration's, and asks for no requests it would be refused.
  const askedForRequests = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/requests') askedForRequests.push(r.url()); });
  await page.goto('/');
  await page.getByRole('heading', { name: 'Hub administration' }).waitFor();
  await mainNav(page).getByRole('link', { name: 'Administration' }).waitFor();
  assert.deepEqual(askedForRequests, []);
  await mainNav(page).getByRole('link', { name: 'Organisations' }).click();
  const orgs = page.getByRole('table', { name: 'Organisations on the hub' });
  await orgs.getByRole('row', { name: /Example Mail Ltd/ }).waitFor();

  const form = page.getByRole('form', { name: 'Create an organisation' });
  const endpoint = form.getByLabel('Endpoint id');
  await form.getByLabel('Kind').selectOption('authority');
  await form.getByLabel('Name', { exact: true }).fill('Southport Police, Digital Investigations');
  await form.getByLabel('Country').fill('nl');
  await endpoint.fill('NPCU');
  await form.getByLabel('Authority type').selectOption('police');
  await form.getByRole('button', { name: 'Create the organisation' }).click();
  await form.getByText('an organisation with this country and endpoint id exists').waitFor();
  assert.equal(await errorOf(endpoint), 'an organisation with this country and endpoint id exists');
  await screenshot(page, 'admin', '10-organisation-error');

  await endpoint.fill('SPDI');
  await form.getByRole('button', { name: 'Create the organisation' }).click();
  await page.getByRole('status').filter({ hasText: 'Southport Police, Digital Investigations is on the hub' }).waitFor();
  const row = orgs.getByRole('row', { name: /Southport Police/ });
  assert.match(await row.innerText(), /Authority\s+NL\s+SPDI\s+Police/);
  const created = (await hub.api('hub_admin', 'GET', '/api/v1/organisations')).items.find((o) => o.endpoint_uid === 'SPDI');
  assert.equal(created.country, 'NL');
  assert.equal(created.authority_type, 'police');
  // A provider gets no authority type to choose.
  await form.getByLabel('Kind').selectOption('provider');
  assert.equal(await form.getByLabel('Authority type').count(), 0);
  await screenshot(page, 'admin', '11-organisation-created');

  // Its first admin, on the users page for the new organisation.
  await page.getByRole('link', { name: 'create its first organisation admin' }).click();
  await page.getByRole('heading', { name: 'Users of Southport Police, Digital Investigations' }).waitFor();
  assert.equal(await page.getByLabel('Organisation', { exact: true }).inputValue(), created.id);
  const users = page.getByRole('form', { name: 'Create a user' });
  await users.getByLabel('Name', { exact: true }).fill('Iris Janssen');
  await users.getByLabel('E-mail address').fill('iris.janssen@southport.example.org');
  await users.getByRole('checkbox', { name: /^Organisation admin/ }).check();
  await users.getByRole('button', { name: 'Create the user' }).click();
  await page.getByRole('table', { name: 'Accounts' }).getByRole('row', { name: /Iris Janssen/ }).waitFor();
  const members = (await hub.api('hub_admin', 'GET', `/api/v1/organisations/${created.id}/users`)).items;
  assert.deepEqual(members.map((u) => [u.email, u.roles]), [['iris.janssen@southport.example.org', ['org_admin']]]);
  await screenshot(page, 'admin', '12-hub-admin-users');

  // Another kind of organisation, another set of roles.
  await page.getByLabel('Organisation', { exact: true }).selectOption(hub.orgId('provider'));
  await page.getByRole('heading', { name: 'Users of Example Mail Ltd' }).waitFor();
  await page.getByRole('checkbox', { name: /^Analyst/ }).waitFor();
  assert.equal(await page.getByRole('checkbox', { name: /^Officer/ }).count(), 0);
  assertNoPageErrors(page);
});

test('the hub administrator sees every kind of certificate and can stop trusting a root', async () => {
  const page = await as('hub_admin');
  await mainNav(page).getByRole('link', { name: 'Certificates' }).click();
  const certificates = page.getByRole('table', { name: 'Certificates' });
  await certificates.getByRole('row', { name: /Example Mail Ltd/ }).waitFor();
  await certificates.getByRole('row', { name: /Olivia Brandt/ }).waitFor();
  await page.getByLabel('Kind').selectOption('organisation');
  await certificates.getByRole('row', { name: /Olivia Brandt/ }).waitFor({ state: 'detached' });
  await certificates.getByRole('row', { name: /Example Mail Ltd/ }).waitFor();

  const root = page.getByRole('table', { name: 'Roots' }).getByRole('row', { name: /Point of Contact IE/ });
  await root.getByRole('button', { name: /Stop trusting/ }).click();
  const confirm = page.getByRole('region', { name: /Stop trusting National 24\/7 Point of Contact IE/ });
  await confirm.getByText('this cannot be undone from the portal', { exact: false }).waitFor();
  await screenshot(page, 'admin', '13-distrust-root');
  await confirm.getByRole('button', { name: 'Stop trusting this root' }).click();
  await root.getByText('No, distrusted').waitFor();
  const roots = (await hub.api('hub_admin', 'GET', '/api/v1/trust/certificates?kind=root')).items;
  assert.equal(roots.find((r) => r.country === 'IE').trusted_root, false);
  assert.equal(roots.find((r) => r.country === 'NL').trusted_root, true);
  assertNoPageErrors(page);
});
