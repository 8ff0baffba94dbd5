/**
 * The control panel's app page (`{control_panel_base_url}/manage/app`): as BigCommerce's does, it opens the
 * app in an iframe at its `/load` URL, with a signed payload minted for the user looking at it (the owner
 * by default, or `?user_id=` — any user of the store, as with Multiple Users).
 */
import type { AppDriver, UserRef } from './driver.ts';
import { escapeHtml } from './storefront/html.ts';

/** The page's HTML; the iframe's `src` is a fresh /load URL for `user`. */
export function controlPanelAppPage(driver: AppDriver, storeHash: string, user: UserRef, deepLink?: string): string {
  const who = driver.user(storeHash, user);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>BackOrder · Apps · sandbox control panel</title>
<style>body{margin:0;font:14px system-ui,sans-serif}header{padding:.5rem 1rem;background:#34313f;color:#fff}iframe{border:0;width:100%;height:calc(100vh - 2.5rem)}</style></head>
<body>
<header>Sandbox control panel · stores/${escapeHtml(storeHash)} · ${escapeHtml(who.email)}</header>
<iframe title="BackOrder" src="${escapeHtml(driver.loadUrl(storeHash, who, deepLink ? { url: deepLink } : {}))}"></iframe>
</body>
</html>`;
}
