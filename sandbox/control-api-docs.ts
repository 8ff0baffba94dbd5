/**
 * The control API under `/__sandbox`, described once: the home page renders this list and the README's
 * table is written from it (`node --import tsx sandbox/write-control-api-docs.ts`). A test walks the control
 * router and fails for an endpoint missing here, so a new endpoint is a new entry in this list.
 */

export interface ControlEndpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Under `/__sandbox`, with Express's `:param`s. */
  path: string;
  /** What it does, in a sentence. */
  does: string;
  /** The JSON body (or query string) it takes; empty: none. */
  body: string;
  /** Its answer: status and shape. */
  answer: string;
}

const STORE = '/stores/:hash';

/** Every control endpoint, in the router's order. */
export const CONTROL_ENDPOINTS: ControlEndpoint[] = [
  {
    method: 'GET',
    path: '/stores',
    does: 'Lists the stores.',
    body: '',
    answer: '200 `[{ storeHash, storeId, name, storefrontUrl, products, orders, hooks }]`',
  },
  {
    method: 'POST',
    path: '/stores',
    does: 'Creates a store and starts its shop.',
    body: '`{ storeHash?, name?, seed?: "demo" | "empty" }`',
    answer: '201 `{ storeHash, storeId, storefrontUrl }`',
  },
  {
    method: 'POST',
    path: `${STORE}/tokens`,
    does: 'Issues an API token, as an app install would.',
    body: '`{ scopes?: string[], clientId? }` (every scope by default)',
    answer: '201 `{ access_token }`',
  },
  {
    method: 'PUT',
    path: '/app-url',
    does: "Sets the app's URL, which `/auth`, `/load` and the other callbacks go to.",
    body: '`{ url }`',
    answer: '200 `{ url }`',
  },
  {
    method: 'PUT',
    path: '/rate-limit',
    does: "Sets every store's API quota and window (quota 0: unlimited) and starts a fresh window.",
    body: '`{ quota, windowMs }`',
    answer: '200 `{ quota, windowMs }`',
  },
  {
    method: 'GET',
    path: `${STORE}/switches`,
    does: "The store's switches (faults, ways of delivering webhooks, readings of undocumented behaviours).",
    body: '',
    answer: '200 `{ <switch>: value }`',
  },
  {
    method: 'PUT',
    path: `${STORE}/switches`,
    does: 'Sets some switches (each documented in `sandbox/switches.ts`); an unknown switch or value is refused, naming it.',
    body: '`{ <switch>: value }`',
    answer: '200 all switches, or 400 `{ error }`',
  },
  {
    method: 'PUT',
    path: `${STORE}/timezone`,
    does: "Sets the store's time zone, as the control panel's Store Settings do (no webhook fires; an app reads it from `/v2/store`).",
    body: '`{ name }` (an IANA name, e.g. `Pacific/Kiritimati`)',
    answer: "200 `/v2/store`'s `timezone` (`name`, `raw_offset`, `dst_offset`, `dst_correction`), or 400 `{ error }`",
  },
  { method: 'GET', path: `${STORE}/settings/inventory`, does: "The store's inventory settings.", body: '', answer: '200 as `GET /v3/settings/inventory`' },
  {
    method: 'PUT',
    path: `${STORE}/settings/inventory`,
    does: 'Changes inventory settings, as the control panel does (fires no webhook).',
    body: 'fields of `/v3/settings/inventory`',
    answer: '200 the settings',
  },
  { method: 'GET', path: `${STORE}/products/:id`, does: 'A product with its variants.', body: '', answer: '200 as the Catalog API, or 404 `{ error }`' },
  {
    method: 'POST',
    path: `${STORE}/products`,
    does: 'Creates a product, as the control panel does (its webhooks fire).',
    body: 'fields of `POST /v3/catalog/products`, `variants` included',
    answer: '201 the product',
  },
  {
    method: 'PUT',
    path: `${STORE}/products/:id`,
    does: 'Updates a product, as the control panel does (its webhooks fire).',
    body: 'fields of `PUT /v3/catalog/products/{id}`',
    answer: '200 the product',
  },
  { method: 'DELETE', path: `${STORE}/products/:id`, does: 'Deletes a product.', body: '', answer: '204' },
  {
    method: 'PUT',
    path: `${STORE}/inventory`,
    does: "Sets a product's (or a variant's) stock level, as a merchant would in the control panel; the inventory webhooks fire.",
    body: '`{ productId, variantId?, level }`',
    answer: '200 the product with its variants',
  },
  {
    method: 'GET',
    path: `${STORE}/purchasability/:productId`,
    does: 'Whether a shopper can buy the product (variant) now, as the storefront decides.',
    body: 'query `?variantId=`',
    answer: '200 `{ purchasable, inStock, stock, message }`',
  },
  {
    method: 'POST',
    path: `${STORE}/generate`,
    does: 'Adds a large generated catalog (no webhooks), for benchmarks.',
    body: '`{ products? (1000), variantsPerProduct? (3), categories?, brands? }`',
    answer: '201 `{ products, variants, firstProductId, lastProductId, milliseconds }`',
  },
  {
    method: 'POST',
    path: `${STORE}/orders`,
    does: 'Places an order; lines beyond tracked stock are refused unless `allowOutOfStock`.',
    body: '`{ lines: [{ productId, variantId?, quantity }], statusId? (11), flow?: "direct" | "checkout", allowOutOfStock?, customerMessage? }`',
    answer: '201 the order (as `GET /v2/orders/{id}`), or 422 `{ error, errors }`',
  },
  { method: 'GET', path: `${STORE}/orders/:id`, does: 'An order with its lines.', body: '', answer: '200 the order with `products: [...]`' },
  {
    method: 'PUT',
    path: `${STORE}/orders/:id/status`,
    does: "Changes an order's status (5 Cancelled, 10 Completed, 11 Awaiting Fulfillment…); stock follows as on BigCommerce.",
    body: '`{ status_id }`',
    answer: '200 the order',
  },
  {
    method: 'POST',
    path: `${STORE}/orders/:id/refunds`,
    does: 'Refunds order lines.',
    body: '`{ items: [{ orderProductId, quantity }] }`',
    answer: '201 `{ refund_id }`',
  },
  {
    method: 'PUT',
    path: `${STORE}/orders/:id/quantities`,
    does: "Edits an order's line quantities, as the control panel's order edit does.",
    body: '`{ items: [{ orderProductId, quantity }] }`',
    answer: '200 the order',
  },
  {
    method: 'POST',
    path: `${STORE}/orders/:id/archive`,
    does: 'Archives an order, as `DELETE /v2/orders/{id}` does: it reads `is_deleted: true` and `store/order/archived` fires (stock per the `archivedOrderStock` switch).',
    body: '',
    answer: '200 the order',
  },
  {
    method: 'GET',
    path: `${STORE}/events`,
    does: 'The events the store fired, oldest first.',
    body: 'query `?scope=`',
    answer: '200 `[{ id, scope, data, … }]`',
  },
  { method: 'GET', path: `${STORE}/deliveries`, does: 'The webhook deliveries made, with their answers and retries.', body: '', answer: '200 `[delivery]`' },
  { method: 'POST', path: `${STORE}/webhooks/flush`, does: 'Delivers every pending webhook now.', body: '', answer: '204' },
  { method: 'GET', path: `${STORE}/hooks`, does: 'The webhooks registered.', body: '', answer: '200 as `GET /v3/hooks`' },
  { method: 'GET', path: `${STORE}/scripts`, does: 'The Script Manager scripts.', body: '', answer: '200 as `GET /v3/content/scripts`' },
  {
    method: 'POST',
    path: `${STORE}/install`,
    does: 'Installs the app: calls its `/auth` with a one-time code (without `call`, only mints the code).',
    body: '`{ scopes?, user?, call? }`',
    answer: '200 `{ url, code, status?, error? }`',
  },
  {
    method: 'GET',
    path: `${STORE}/signed-payload`,
    does: "Mints a signed payload and the app's `/load` link for a user (the owner by default); flags mint a bad one.",
    body: 'query `?user_id=&url=&expired=1&not_yet_valid=1&wrong_audience=1&wrong_issuer=1&wrong_subject=1&forged=1`',
    answer: '200 `{ signed_payload_jwt, load_url }` (`load_url` null until the app URL is set)',
  },
  {
    method: 'GET',
    path: `${STORE}/manage/app`,
    does: "The control panel's app page: the app in an iframe through a fresh `/load` link.",
    body: 'query `?user_id=`',
    answer: '200 HTML',
  },
  {
    method: 'GET',
    path: `${STORE}/manage/app/:appId/*path`,
    does: "The same page opening the app at `/{path}` (the `/load` deep link), as BigCommerce does for a checkout's `redirectUrl`.",
    body: '',
    answer: '200 HTML',
  },
  {
    method: 'POST',
    path: `${STORE}/uninstall`,
    does: 'Uninstalls the app: deletes its hooks and scripts, revokes its tokens, then calls its `/uninstall`.',
    body: '`{ call?, storeCancelled? }`',
    answer: '200 `{ url, status?, error? }`',
  },
  {
    method: 'POST',
    path: `${STORE}/remove-user`,
    does: "Removes a user of the store and calls the app's `/remove_user`.",
    body: '`{ user, call? }`',
    answer: '200 `{ url, status?, error? }`',
  },
];

/** A copy-paste example: shell lines using `$SANDBOX_URL` and `$STORE` (set by {@link EXAMPLE_SETUP}). */
export interface ControlExample {
  title: string;
  script: string;
}

/** What every example runs after: where the sandbox is, and its first store. */
export const EXAMPLE_SETUP = `# First: export SANDBOX_URL=<the sandbox: URL npm start prints>. The examples use its first store (jq reads the JSON).
: "\${SANDBOX_URL:?set SANDBOX_URL to the sandbox: URL that npm start prints}"
STORE=$(curl -s "$SANDBOX_URL/__sandbox/stores" | jq -r '.[0].storeHash')`;

/** The examples the README and the home page show; a test runs each one and checks its effect. */
export const CONTROL_EXAMPLES: ControlExample[] = [
  {
    title: 'Place an order (2 units of product 111, Awaiting Fulfillment); its webhooks fire',
    script: `curl -s -X POST "$SANDBOX_URL/__sandbox/stores/$STORE/orders" \\
  -H 'Content-Type: application/json' \\
  -d '{"lines": [{"productId": 111, "quantity": 2}]}'`,
  },
  {
    title: 'Change a level (product 111 to 25 units), as a merchant would in the control panel',
    script: `curl -s -X PUT "$SANDBOX_URL/__sandbox/stores/$STORE/inventory" \\
  -H 'Content-Type: application/json' \\
  -d '{"productId": 111, "level": 25}'`,
  },
  {
    title: "Let up to 4 of each hook's deliveries be in flight at once, as BigCommerce may (the deliveriesInFlight switch; 1, one after another, by default)",
    script: `curl -s -X PUT "$SANDBOX_URL/__sandbox/stores/$STORE/switches" \\
  -H 'Content-Type: application/json' \\
  -d '{"deliveriesInFlight": 4}'`,
  },
  {
    title: 'Mint a /load link for another user of the store (user 77): open load_url to see the app as that user',
    script: `curl -s "$SANDBOX_URL/__sandbox/stores/$STORE/signed-payload?user_id=77"`,
  },
];

/** `:param` → `{param}`, as the docs show paths. */
export function shownPath(endpoint: ControlEndpoint): string {
  return `/__sandbox${endpoint.path.replace(/:(\w+)/g, '{$1}')}`;
}

/** The README's markers around the part written from these lists. */
export const CONTROL_API_START = '<!-- control-api:start (written by sandbox/write-control-api-docs.ts) -->';
export const CONTROL_API_END = '<!-- control-api:end -->';

/** The README's part (between its `control-api` markers): the examples, then the table, written from the lists. */
export function controlApiMarkdown(endpoints: ControlEndpoint[] = CONTROL_ENDPOINTS, examples: ControlExample[] = CONTROL_EXAMPLES): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = endpoints.map((e) => `| \`${e.method} ${shownPath(e)}\` | ${cell(e.does)} | ${cell(e.body) || '—'} | ${cell(e.answer)} |`);
  const block = (script: string) => ['```sh', script, '```'].join('\n');
  return [
    block(EXAMPLE_SETUP),
    ...examples.map((example) => block(`# ${example.title}\n${example.script}`)),
    ['| Endpoint | What it does | Body | Answer |', '|---|---|---|---|', ...rows].join('\n'),
  ].join('\n\n');
}
