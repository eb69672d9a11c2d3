// A real hub on an ephemeral port with a fresh data directory, and the
// browser that drives it: what every browser test file starts before its
// first test and stops after its last.
import { launch } from './browser.mjs';
import { Hub } from './hub.mjs';

export async function startHubAndBrowser() {
  const hub = await Hub.start();
  return { hub, browser: await launch() };
}

export async function stopHubAndBrowser({ hub, browser }) {
  await browser?.close();
  await hub?.stop();
}
