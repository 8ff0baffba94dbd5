/** One store's storefront as an Express app: theme assets, the Storefront and remote APIs, then the pages. */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { SandboxCore } from '../core.ts';
import { pageRoutes } from './pages.routes.ts';
import { remoteRoutes } from './remote.routes.ts';
import { shopMiddleware } from './session.ts';
import { storefrontApiRoutes } from './storefront-api.routes.ts';
import { themeAssets } from './theme-build.ts';

export function createStorefrontApp(core: SandboxCore, storeHash: string): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get(/^\/assets\/(.+)$/, async (req, res) => {
    const file = (await themeAssets()).files.get(String((req.params as Record<string, string>)[0]));
    if (!file) return void res.status(404).type('text').send('Not found');
    res.type(file.type).set('Cache-Control', 'no-cache').send(file.body);
  });
  app.get('/favicon.ico', (_req, res) => void res.status(204).end());
  app.use(shopMiddleware(core, storeHash));
  app.use(storefrontApiRoutes());
  app.use(remoteRoutes());
  app.use(pageRoutes());
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res
      .status(500)
      .type('text')
      .send(`The sandbox storefront failed: ${(error as Error).message}`);
  });
  return app;
}
