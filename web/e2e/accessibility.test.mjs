// The portal with the keyboard alone and on a phone: signing in without a
// mouse, every control labelled, focus visible, text contrast at WCAG AA,
// and no page wider than a 390 px screen.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoPageErrors, launch, screenshot, signIn } from './support/browser.mjs';
import { Hub } from './support/hub.mjs';

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

// Controls without a name a screen reader can say.
async function unlabelledControls(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => {
        const labelled = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label');
        const text = el.tagName === 'BUTTON' && el.textContent.trim();
        return !labelled && !text;
      })
      .map((el) => el.outerHTML.slice(0, 120)));
}

// Every visible piece of text whose contrast with the background behind it is
// below WCAG 2.1 AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
// The background is the nearest ancestor's opaque background colour.
async function lowContrastText(page) {
  return page.evaluate(() => {
    const rgb = (colour) => {
      const m = colour.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const luminance = ({ r, g, b }) => {
      const lin = (c) => {
        const s = c / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const backgroundOf = (el) => {
      for (let at = el; at; at = at.parentElement) {
        const c = rgb(getComputedStyle(at).backgroundColor);
        if (c && c.a > 0.5) return c;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const el = node.parentElement;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden' || el.closest('.sr-only, .skip')) continue;
      const fg = rgb(style.color);
      const bg = backgroundOf(el);
      const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) found.push(`${ratio.toFixed(2)}:1 ${el.tagName.toLowerCase()}.${el.className} "${node.textContent.trim().slice(0, 30)}"`);
    }
    return found;
  });
}

async function widerThanScreen(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

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
