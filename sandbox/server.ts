/**
 * The sandbox's one HTTP app, playing both api.bigcommerce.com (`/stores/{hash}/v2|v3/...`, ref §2.1) and
 * login.bigcommerce.com (`/oauth2/token`, ref §1.2), with the control surface under `/__sandbox` and a home page.
 * Each store's demo storefront has its own port (storefront/servers.ts).
 */
import express, { type Express } from 'express';
import { notFound } from './api-error.ts';
import { storeApi } from './api-http.ts';
import { accountGraphqlRoutes, billingControlRoutes } from './billing.routes.ts';
import { catalogRoutes } from './catalog.routes.ts';
import { controlRoutes, type ControlDeps } from './control.routes.ts';
import { hookRoutes } from './hooks.routes.ts';
import { indexPage } from './index-page.ts';
import { oauthRoutes } from './oauth.routes.ts';
import { orderRoutes } from './orders.routes.ts';
import { scriptRoutes } from './scripts.routes.ts';
import { storeInfoRoutes } from './store-info.routes.ts';
import { variantRoutes } from './variants.routes.ts';

export function createSandboxApp(deps: ControlDeps): Express {
  const { core } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const routes = express.Router();
  routes.use(catalogRoutes());
  routes.use(variantRoutes());
  routes.use(orderRoutes((hash) => `${core.url}/stores/${hash}`));
  routes.use(hookRoutes(core));
  routes.use(scriptRoutes());
  routes.use(
    storeInfoRoutes(
      (hash) => core.storefrontUrl(hash),
      () => core.url,
    ),
  );
  routes.use(() => {
    throw notFound();
  });

  app.use('/stores', storeApi(core, routes));
  app.use(oauthRoutes(core));
  app.use(accountGraphqlRoutes(() => deps.billing));
  app.use(
    '/__sandbox',
    billingControlRoutes(() => deps.billing),
  );
  app.use('/__sandbox', controlRoutes(deps));
  app.get('/', (_req, res) => {
    res.type('html').send(indexPage(core));
  });
  return app;
}
