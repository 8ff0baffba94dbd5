/**
 * Each store's demo storefront on its own HTTP port, so it has its own origin (`http://127.0.0.1:PORT`) as a
 * BigCommerce storefront has its own domain — Cornerstone's URLs are root-relative. A store keeps its port
 * across restarts when the port is still free (the state file remembers it).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxCore } from '../core.ts';
import { createStorefrontApp } from './app.ts';
import { storefrontState } from './carts.ts';
import { themeAssets } from './theme-build.ts';

export class StorefrontServers {
  private readonly servers = new Map<string, { server: Server; url: string }>();

  constructor(
    private readonly core: SandboxCore,
    private readonly host: string,
  ) {}

  /** The storefront's base URL (no trailing slash), once it listens. */
  url(storeHash: string): string | undefined {
    return this.servers.get(storeHash)?.url;
  }

  /** Starts the store's storefront unless it runs already; returns its URL. */
  async open(storeHash: string): Promise<string> {
    const running = this.servers.get(storeHash);
    if (running) return running.url;
    void themeAssets().catch(() => {}); // built in the background; the first asset request waits for it
    const state = storefrontState(this.core.context(storeHash));
    const server = createServer(createStorefrontApp(this.core, storeHash));
    const port = await this.listen(server, state.port ?? 0).catch(() => this.listen(server, 0));
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    const url = `http://${host}:${port}`;
    this.servers.set(storeHash, { server, url });
    if (state.port !== port) {
      state.port = port;
      this.core.saver.changed();
    }
    return url;
  }

  private listen(server: Server, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      server.once('error', failed);
      server.listen(port, this.host, () => {
        server.off('error', failed);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  async closeAll(): Promise<void> {
    const closing = [...this.servers.values()].map(
      ({ server }) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    this.servers.clear();
    await Promise.all(closing);
  }
}
