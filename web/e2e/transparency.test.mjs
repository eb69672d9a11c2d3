// The transparency page shows exactly the figures the hub's API publishes,
// from the same ledger checkpoint, with small counts as a band, a chart, and
// the CSV and JSON exports.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoPageErrors, screenshot, signIn } from './support/browser.mjs';
import { startHubAndBrowser, stopHubAndBrowser } from './support/live.mjs';

let hub;
let browser;
before(async () => { ({ hub, browser } = await startHubAndBrowser()); });
after(() => stopHubAndBrowser({ hub, browser }));

const act = (who, id, action) => hub.api(who, 'POST', `/api/v1/requests/${id}/actions`, { action });

// A production the officer signs, the prosecutor validates, the officer sends
// and the provider accepts.
async function sentAndAccepted(draft) {
  const created = await hub.api('officer', 'POST', '/api/v1/requests', draft);
  hub.cli('officer', ['request', 'sign', created.id, '--key', hub.keyFile('officer')]);
  await hub.api('officer', 'PUT', `/api/v1/requests/${created.id}/validator`, { organisation_id: hub.orgId('prosecutor') });
  hub.cli('prosecutor', ['request', 'sign', created.id, '--key', hub.keyFile('prosecutor'), '--as', 'validator']);
  await act('officer', created.id, 'submit');
  await act('analyst', created.id, 'acknowledge');
  await act('analyst', created.id, 'accept');
  return created;
}

function produce(created) {
  const data = path.join(hub.dir, `subscriber-${created.id}.csv`);
  writeFileSync(data, 'account,created\nsuspect.mailbox@example.org,2025-04-01\n');
  const sealed = path.join(hub.dir, `production-${created.id}.lep`);
  hub.cli('analyst', ['evidence', 'seal', '--request', created.id, '--key', hub.keyFile('analyst'), '--out', sealed, data]);
  hub.cli('analyst', ['evidence', 'upload', sealed]);
  return act('analyst', created.id, 'produce');
}

// The figures once the latest checkpoint covers the whole log.
async function settledFigures() {
  for (let i = 0; i < 100; i++) {
    const checkpoint = await hub.api('officer', 'GET', '/api/v1/ledger/checkpoint');
    const rest = await hub.api('officer', 'GET',
      `/api/v1/ledger/entries?start=${checkpoint.tree_size}&end=${checkpoint.tree_size + 1000}`);
    const figures = await hub.api('officer', 'GET', '/api/v1/transparency');
    if (rest.entries.length === 0 && figures.checkpoint?.tree_size === checkpoint.tree_size) return figures;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no checkpoint covered the log within 20 s');
}

test('the transparency page shows the figures the API publishes', async () => {
  const draft = JSON.parse(readFileSync(path.join(hub.data, 'demo-request.json'), 'utf8'));
  const sent = [];
  for (let i = 0; i < 6; i++) sent.push(await sentAndAccepted(draft));
  for (const r of sent.slice(0, 5)) await produce(r);
  // One emergency: a count below five, shown only as a band.
  const emergency = { ...draft, kind: 'emergency_disclosure',
    emergency_justification: 'A caller named a time and place for an attack on a person at 14:00 today.' };
  delete emergency.route;
  const urgent = await hub.api('officer', 'POST', '/api/v1/requests', emergency);
  hub.cli('officer', ['request', 'sign', urgent.id, '--key', hub.keyFile('officer')]);
  hub.cli('supervisor', ['request', 'sign', urgent.id, '--key', hub.keyFile('supervisor'), '--as', 'supervisor']);
  await act('officer', urgent.id, 'submit');
  const figures = await settledFigures();
  assert.deepEqual(figures.rows.map((r) => [r.kind, r.requests, r.with_data_produced]),
    [['emergency_disclosure', '1-4', 0], ['production', 6, 5]], JSON.stringify(figures));

  const page = await signIn(browser, hub, 'analyst');
  await page.getByRole('link', { name: 'Transparency' }).click();
  await page.getByRole('heading', { name: 'Transparency' }).waitFor();
  const table = page.getByRole('table', { name: 'Requests per half-year, country and kind' });
  await table.waitFor();
  const cells = await table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  const labels = { production: 'Production', emergency_disclosure: 'Emergency' };
  const shown = (f) => String(f).replace('-', '–');
  const expected = figures.rows.map((r) => [r.period, r.country, labels[r.kind], shown(r.requests),
    shown(r.accounts_specified), shown(r.with_data_produced),
    r.produced_share === null ? '—' : `${Math.round(r.produced_share * 100)}%`]);
  assert.deepEqual(cells, expected);
  assert.deepEqual(cells[0].slice(3), ['1–4', '1–4', '0', '—']);
  assert.deepEqual(cells[1].slice(3), ['6', '12', '5', '83%']);
  assert.equal(await page.getByTestId('checkpoint-root').textContent(), figures.checkpoint.root_hash);
  await page.getByText(`Tallied from the first ${figures.checkpoint.tree_size.toLocaleString('en-US')} entries`).waitFor();
  // The chart is drawn, and says what it shows.
  await page.getByRole('img', { name: /Requests from NL per half-year, by kind/ }).locator('canvas').waitFor();
  await screenshot(page, 'transparency', '1-figures');

  // The CSV export is the API's own.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
  const csvText = readFileSync(await csv.path(), 'utf8');
  assert.equal(csvText,
    'period,country,kind,requests,accounts_specified,with_data_produced,produced_share\r\n' +
    `${figures.rows[0].period},NL,emergency_disclosure,1-4,1-4,0,\r\n` +
    `${figures.rows[0].period},NL,production,6,12,5,0.8333\r\n`);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download JSON' }).click()]);
  assert.deepEqual(JSON.parse(readFileSync(await json.path(), 'utf8')), figures);

  // The figures move only with a new checkpoint, and the page follows.
  await sentAndAccepted(draft);
  await produce(sent[5]);
  const later = await settledFigures();
  await page.reload();
  await table.waitFor();
  await page.getByTestId('checkpoint-root').getByText(later.checkpoint.root_hash).waitFor();
  const row = await table.locator('tbody tr').nth(1).locator('td').allTextContents();
  assert.deepEqual(row.slice(3), [String(later.rows[1].requests), String(later.rows[1].accounts_specified),
    String(later.rows[1].with_data_produced), `${Math.round(later.rows[1].produced_share * 100)}%`]);
  assert.deepEqual(row.slice(3), ['7', '14', '6', '86%']);
  assertNoPageErrors(page);
});
