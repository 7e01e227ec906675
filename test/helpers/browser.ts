/**
 * A real headless Chromium for the dashboard tests, driven by playwright-core (which brings no
 * browser of its own): the first of $CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser
 * and `chromium` on PATH. Without one the tests are skipped, unless BROWSER_REQUIRED=1 (CI sets
 * it), which makes a missing browser a failure.
 */
import assert from 'node:assert/strict';
import { after, before, type TestContext } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { isExecutableFile, onPath } from './executables.js';

export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', ...onPath('chromium')];
  return candidates.find((c): c is string => !!c && isExecutableFile(c));
}

function skipOrFail(t: TestContext): undefined {
  const why =
    'no Chromium found ($CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser, chromium on PATH): on Debian or Ubuntu, apt-get install chromium';
  if (process.env.BROWSER_REQUIRED === '1') assert.fail(`${why}. BROWSER_REQUIRED=1 makes this a failure.`);
  t.skip(why);
  return undefined;
}

/**
 * One headless Chromium for the tests of the enclosing suite (or file), launched before them and
 * closed after them. Each test calls the returned function: the browser, or undefined after
 * skipping the test (the caller returns).
 */
export function useBrowser(): (t: TestContext) => Browser | undefined {
  let browser: Browser | undefined;
  before(async () => {
    const executablePath = findChromium();
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start; the pages are our own.
    if (executablePath)
      browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  after(async () => {
    await browser?.close();
  });
  return (t) => browser ?? skipOrFail(t);
}
