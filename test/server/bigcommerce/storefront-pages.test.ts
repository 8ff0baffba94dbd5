/**
 * The theme check reads a store's storefront pages as a shopper would (server/bigcommerce/storefront-pages.ts):
 * a page is read up to its bound and no further, however much the server sends.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStorefrontPages } from '../../../server/bigcommerce/storefront-pages.ts';

let server: Server;
let base: string;
beforeAll(async () => {
  // A page that never ends: 64 KB chunks, as fast as they are taken.
  server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const more = () => {
      while (res.write(chunk));
      res.once('drain', more);
    };
    res.on('close', () => res.removeAllListeners('drain'));
    more();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('storefront pages read for the theme check', () => {
  it('when a page goes on and on, then its first 5 MB are read and the rest is left unread', async () => {
    const { product } = await readStorefrontPages(base, '/endless', null);
    expect(product.status).toBe(200);
    expect(product.html).toHaveLength(5_000_000);
  });
});
