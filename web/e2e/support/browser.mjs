// Debian's Chromium, headless, driven by playwright-core. The flags keep it
// from reaching for the network on its own, which a closed machine refuses.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { webDir } from './hub.mjs';

export const screenshotDir = path.join(webDir, 'test-results', 'screenshots');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.LIAISON_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions',
    ],
  });
}

// A signed-in page of its own (separate cookies), as `name`.
export async function signIn(browser, hub, name, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 }, baseURL: hub.url, acceptDownloads: true, ...options,
  });
  const page = await context.newPage();
  // Every script error in the page fails the test that made it.
  page.errors = [];
  const record = (text) => {
    page.errors.push(text);
    console.error(`[${name}'s page] ${text}`);
  };
  page.on('pageerror', (e) => record(`${e.message}\n${e.stack ?? ''}`));
  // The browser also logs every refused API call, which tests make on purpose.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) record(`console: ${m.text()}`);
  });
  await page.goto('/');
  await page.getByLabel('E-mail address').fill(hub.user(name).email);
  await page.getByLabel('Password').fill(hub.user(name).password);
  await page.getByLabel('Authenticator code').fill(await hub.totpFor(name));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

// Creates the signer's key in the browser, has the organisation admin
// certify it, and comes back to the page it was on.
export async function enrolBrowserKey(page, hub, name, organisation, roles) {
  const back = page.url();
  await page.getByRole('link', { name: 'My signing key' }).click();
  await page.getByRole('button', { name: 'Create my signing key' }).click();
  const publicKey = (await page.getByTestId('public-key').innerText()).trim();
  await page.getByText('not certified yet').waitFor();
  await hub.certifyBrowserKey(name, organisation, publicKey, roles);
  await page.getByRole('button', { name: 'Check again' }).click();
  await page.getByText(/certified until/).waitFor();
  await page.goto(back);
}

export function assertNoPageErrors(...pages) {
  const errors = pages.flatMap((p) => p.errors ?? []);
  if (errors.length > 0) throw new Error(`script errors in the page:\n${errors.join('\n')}`);
}

export async function screenshot(page, test, name) {
  const dir = path.join(screenshotDir, test);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
