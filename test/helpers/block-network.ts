/**
 * Tests may talk to loopback only: a test that reaches the internet (a real BigCommerce, a CDN) would be
 * slow, flaky and wrong here. Any other destination fails at once, naming the host. The one exception is
 * asked for explicitly: with BC_STORE_HASH and BC_ACCESS_TOKEN set, the BigCommerce contract suite may
 * reach the API host (BC_API_URL, default api.bigcommerce.com) of that real store.
 */
import net from 'node:net';

const ALLOWED_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '::ffff:127.0.0.1']);
if (process.env.BC_STORE_HASH && process.env.BC_ACCESS_TOKEN) {
  ALLOWED_HOSTS.add(new URL(process.env.BC_API_URL || 'https://api.bigcommerce.com').hostname);
}

type ConnectArgs = Parameters<typeof net.Socket.prototype.connect>;

function destination(args: unknown[]): { host?: string; path?: string } {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') return first as { host?: string; path?: string };
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost' };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const { host, path } = destination(args);
  if (path === undefined && !ALLOWED_HOSTS.has(host ?? 'localhost') && !(host ?? '').startsWith('127.')) {
    throw new Error(`Tests may only connect to loopback; something tried ${host}`);
  }
  return connect.apply(this, args as ConnectArgs);
} as typeof connect;
