/** Lists every route an Express router serves, sub-routers included, so tests can reach each one. */
import type { Router } from 'express';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

export interface RouteEntry {
  method: string;
  path: string;
}

export function routesOf(router: Router | { stack?: Layer[] }, prefix = ''): RouteEntry[] {
  const entries: RouteEntry[] = [];
  for (const layer of ((router as { stack?: Layer[] }).stack ?? []) as Layer[]) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) {
        entries.push({ method: method.toUpperCase(), path: `${prefix}${layer.route.path}` });
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      entries.push(...routesOf(layer.handle, `${prefix}${mount}`));
    }
  }
  return entries;
}
