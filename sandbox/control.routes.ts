/**
 * The control surface over HTTP, under `/__sandbox` (no BigCommerce path starts so): what the in-process
 * methods do, for another process or a browser test. JSON in and out; errors as `{ error }`.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { BcError } from './api-error.ts';
import type { SandboxCore } from './core.ts';
import { controlPanelAppPage } from './control-panel-page.ts';
import type { BillingBook } from './billing.ts';
import type { AppDriver } from './driver.ts';
import type { SandboxStore } from './store-control.ts';

export interface ControlDeps {
  core: SandboxCore;
  driver: AppDriver;
  store(storeHash: string): SandboxStore;
  /** Unified Billing's book (GraphQL Account API, merchant checkout). */
  billing: BillingBook;
  /** Creates a store and starts its storefront. */
  createStore(options: { storeHash?: string; name?: string; seed?: 'demo' | 'empty' }): Promise<{ storeHash: string; storeId: string; storefrontUrl: string }>;
}

type Body = Record<string, unknown>;

const flag = (value: unknown) => value === '1' || value === 'true' || value === true;

export function controlRoutes(deps: ControlDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '5mb' }));
  const body = (req: Request): Body => (req.body ?? {}) as Body;
  const store = (req: Request) => deps.store(String(req.params.hash));
  const id = (req: Request, name: string) => Number(req.params[name]);

  router.get('/stores', (_req, res) => {
    res.json(
      deps.core.state.stores.map((s) => ({
        storeHash: s.hash,
        storeId: s.id,
        name: s.name,
        storefrontUrl: deps.core.storefrontUrl(s.hash),
        products: s.products.length,
        orders: s.orders.length,
        hooks: s.hooks.length,
      })),
    );
  });
  router.post('/stores', async (req, res) => {
    res.status(201).json(await deps.createStore(body(req) as { storeHash?: string; name?: string; seed?: 'demo' | 'empty' }));
  });
  router.post('/stores/:hash/tokens', (req, res) => {
    const { scopes, clientId } = body(req) as { scopes?: string[]; clientId?: string };
    res.status(201).json({ access_token: deps.core.issueToken(String(req.params.hash), scopes, clientId).token });
  });
  router.put('/app-url', (req, res) => {
    deps.core.appUrl = String(body(req).url).replace(/\/+$/, '');
    res.json({ url: deps.core.appUrl });
  });
  router.put('/rate-limit', (req, res) => {
    const { quota, windowMs } = body(req) as { quota: number; windowMs: number };
    deps.core.rateLimiter.options = { quota, windowMs };
    deps.core.rateLimiter.reset();
    res.json(deps.core.rateLimiter.options);
  });

  router.get('/stores/:hash/switches', (req, res) => void res.json(store(req).switches()));
  router.put('/stores/:hash/switches', (req, res) => void res.json(store(req).setSwitches(body(req))));
  router.put('/stores/:hash/timezone', (req, res) => void res.json(store(req).setTimezone(String(body(req).name ?? ''))));
  router.get('/stores/:hash/settings/inventory', (req, res) => void res.json(store(req).inventorySettings()));
  router.put('/stores/:hash/settings/inventory', (req, res) => void res.json(store(req).setInventorySettings(body(req))));

  router.get('/stores/:hash/products/:id', (req, res) => void res.json(store(req).product(id(req, 'id'))));
  router.post('/stores/:hash/products', (req, res) => void res.status(201).json(store(req).createProduct(body(req) as never)));
  router.put('/stores/:hash/products/:id', (req, res) => void res.json(store(req).updateProduct(id(req, 'id'), body(req))));
  router.delete('/stores/:hash/products/:id', (req, res) => {
    store(req).deleteProduct(id(req, 'id'));
    res.status(204).end();
  });
  router.put('/stores/:hash/inventory', (req, res) => void res.json(store(req).setInventoryLevel(body(req) as never)));
  router.get('/stores/:hash/purchasability/:productId', (req, res) => {
    const variant = req.query.variantId === undefined ? undefined : Number(req.query.variantId);
    res.json(store(req).purchasability(id(req, 'productId'), variant));
  });
  router.post('/stores/:hash/generate', (req, res) => void res.status(201).json(store(req).generateCatalog(body(req))));

  router.post('/stores/:hash/orders', (req, res) => void res.status(201).json(store(req).placeOrder(body(req) as never)));
  router.get('/stores/:hash/orders/:id', (req, res) => {
    const s = store(req);
    res.json({ ...s.order(id(req, 'id')), products: s.orderProducts(id(req, 'id')) });
  });
  router.put('/stores/:hash/orders/:id/status', (req, res) => void res.json(store(req).setOrderStatus(id(req, 'id'), Number(body(req).status_id))));
  router.post('/stores/:hash/orders/:id/refunds', (req, res) => {
    res.status(201).json({ refund_id: store(req).refundOrder(id(req, 'id'), body(req).items as never) });
  });
  router.post('/stores/:hash/orders/:id/archive', (req, res) => void res.json(store(req).archiveOrder(id(req, 'id'))));
  router.put('/stores/:hash/orders/:id/quantities', (req, res) => void res.json(store(req).editOrderQuantities(id(req, 'id'), body(req).items as never)));

  router.get('/stores/:hash/events', (req, res) => {
    res.json(
      store(req)
        .events({ scope: req.query.scope as string | undefined })
        .map((e) => ({ id: e.id, ...e.payload })),
    );
  });
  router.get('/stores/:hash/deliveries', (req, res) => void res.json(store(req).deliveries()));
  router.post('/stores/:hash/webhooks/flush', async (req, res) => {
    await store(req).flushWebhooks();
    res.status(204).end();
  });
  router.get('/stores/:hash/hooks', (req, res) => void res.json(store(req).hooks()));
  router.get('/stores/:hash/scripts', (req, res) => void res.json(store(req).scripts()));

  router.post('/stores/:hash/install', async (req, res) => {
    const { scopes, user, call } = body(req) as { scopes?: string[]; user?: number; call?: boolean };
    res.json(await deps.driver.install(String(req.params.hash), { scopes, user, call }));
  });
  router.get('/stores/:hash/signed-payload', (req, res) => {
    const q = req.query;
    const options = {
      expired: flag(q.expired),
      notYetValid: flag(q.not_yet_valid),
      wrongAudience: flag(q.wrong_audience),
      wrongIssuer: flag(q.wrong_issuer),
      wrongSubject: flag(q.wrong_subject),
      forged: flag(q.forged),
      ...(q.url ? { url: String(q.url) } : {}),
    };
    const user = q.user_id === undefined ? undefined : Number(q.user_id);
    const hash = String(req.params.hash);
    res.json({
      signed_payload_jwt: deps.driver.signedPayload(hash, user, options),
      load_url: deps.core.appUrl ? deps.driver.loadUrl(hash, user, options) : null,
    });
  });
  router.get('/stores/:hash/manage/app', (req, res) => {
    const user = req.query.user_id === undefined ? undefined : Number(req.query.user_id);
    res.type('html').send(controlPanelAppPage(deps.driver, String(req.params.hash), user));
  });
  // `/manage/app/{app id}/{path}` opens the app with `{path}` as the load's deep link (a checkout's redirectUrl).
  router.get('/stores/:hash/manage/app/:appId/*path', (req, res) => {
    const path = (req.params as unknown as { path: string[] }).path.join('/');
    res.type('html').send(controlPanelAppPage(deps.driver, String(req.params.hash), undefined, `/${path}`));
  });
  router.post('/stores/:hash/uninstall', async (req, res) => {
    const { call, storeCancelled } = body(req) as { call?: boolean; storeCancelled?: boolean };
    res.json(await deps.driver.uninstall(String(req.params.hash), { call, storeCancelled }));
  });
  router.post('/stores/:hash/remove-user', async (req, res) => {
    const { user, call } = body(req) as { user: number; call?: boolean };
    res.json(await deps.driver.removeUser(String(req.params.hash), user, { call }));
  });

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = error instanceof BcError ? error.status : 400;
    const details = error instanceof BcError ? error.extra.errors : undefined;
    res.status(status).json({ error: (error as Error).message, ...(details ? { errors: details } : {}) });
  });
  return router;
}
