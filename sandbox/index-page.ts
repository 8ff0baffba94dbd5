/** The sandbox's home page (`/`): its stores and where to look, for a human running `npm start`. */
import { CONTROL_ENDPOINTS, CONTROL_EXAMPLES, EXAMPLE_SETUP, shownPath } from './control-api-docs.ts';
import type { SandboxCore } from './core.ts';
import { statusName } from './order-statuses.ts';

const escape = (text: unknown) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Escaped text with its `code` spans shown as code. */
const inline = (text: string) => escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** The control API, from its one description: the examples (with this sandbox's URL) and every endpoint. */
function controlApiSection(core: SandboxCore): string {
  const examples = [{ title: 'Where this sandbox is', script: `export SANDBOX_URL=${core.url}\n${EXAMPLE_SETUP}` }, ...CONTROL_EXAMPLES]
    .map((example) => `<h3>${escape(example.title)}</h3><pre><code>${escape(example.script)}</code></pre>`)
    .join('\n');
  const rows = CONTROL_ENDPOINTS.map(
    (e) =>
      `<tr><td><code>${e.method} ${escape(shownPath(e))}</code></td><td>${inline(e.does)}</td><td>${inline(e.body) || '—'}</td><td>${inline(e.answer)}</td></tr>`,
  ).join('\n');
  return `<section id="control-api">
<h2>Control API</h2>
<p>JSON in and out under <code>/__sandbox</code>; an error answers <code>{ error }</code>.</p>
${examples}
<table><thead><tr><th>Endpoint</th><th>What it does</th><th>Body</th><th>Answer</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</section>`;
}

export function indexPage(core: SandboxCore): string {
  const stores = core.state.stores
    .map((store) => {
      const control = `/__sandbox/stores/${store.hash}`;
      const orders = store.orders
        .slice(-5)
        .reverse()
        .map((o) => `<li>#${o.id} — ${escape(statusName(o.status_id))}, ${o.lines.length} line(s)</li>`)
        .join('');
      const hooks = store.hooks.map((h) => `<li>${escape(h.scope)} → ${escape(h.destination)}${h.is_active ? '' : ' (inactive)'}</li>`).join('');
      return `<section>
  <h2>${escape(store.name)} <small>stores/${escape(store.hash)} · store id ${escape(store.id)}</small></h2>
  <p>${store.products.length} products, ${store.orders.length} orders, ${store.hooks.length} webhooks, ${store.scripts.length} scripts.</p>
  <p>Shop: <a href="${escape(core.storefrontUrl(store.hash))}/">${escape(core.storefrontUrl(store.hash))}</a> (the demo storefront, Cornerstone-shaped, with the store's scripts).</p>
  <p>API: <code>${escape(core.url)}/stores/${escape(store.hash)}/v3/…</code> and <code>…/v2/…</code> with <code>X-Auth-Token</code>.</p>
  <ul>
    <li><a href="${control}/events">events fired</a> · <a href="${control}/deliveries">webhook deliveries</a> · <a href="${control}/hooks">webhooks</a> · <a href="${control}/scripts">scripts</a></li>
    <li><a href="${control}/manage/app">open the app as the control panel does</a> (the owner; <code>?user_id=</code> for another user)</li>
    <li><a href="${control}/switches">switches</a> · <a href="${control}/settings/inventory">inventory settings</a> · <a href="${control}/signed-payload">a signed payload (load)</a></li>
  </ul>
  ${orders ? `<h3>Latest orders</h3><ul>${orders}</ul>` : ''}
  ${hooks ? `<h3>Webhooks</h3><ul>${hooks}</ul>` : ''}
</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>BigCommerce sandbox</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}small{color:#555;font-weight:normal}pre{background:#f3f3f3;padding:.5em;overflow-x:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}</style></head>
<body>
<h1>BigCommerce sandbox</h1>
<p>A local stand-in for api.bigcommerce.com and login.bigcommerce.com at <code>${escape(core.url)}</code>.
App: <code>${escape(core.appUrl ?? 'not set')}</code>. Control API: <a href="/__sandbox/stores">/__sandbox/stores</a>.</p>
${stores || '<p>No stores yet: <code>POST /__sandbox/stores</code>.</p>'}
${controlApiSection(core)}
</body>
</html>`;
}
