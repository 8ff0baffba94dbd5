/** Debian's Chromium through playwright-core: headless, sandbox-free (we run as root), and offline. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Only loopback resolves: a page that tries the internet fails fast instead of hanging.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

/**
 * Chromium with a temp folder of its own, removed when the browser is closed: the empty files it makes there
 * (`.org.chromium.Chromium.*`) outlive a browser closed while a page was still at work, and were left behind
 * by every run of the e2e tests.
 */
export async function launchBrowser(): Promise<Browser> {
  const tempFolder = mkdtempSync(path.join(os.tmpdir(), 'backorder-chromium-'));
  const removeTempFolder = () => rmSync(tempFolder, { recursive: true, force: true });
  try {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, TMPDIR: tempFolder },
    });
    browser.on('disconnected', removeTempFolder);
    return browser;
  } catch (error) {
    removeTempFolder();
    throw error;
  }
}
