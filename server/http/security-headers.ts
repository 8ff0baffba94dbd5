/**
 * Security headers. The admin lives in an iframe of the BigCommerce control panel, so instead of
 * X-Frame-Options it names who may frame it in CSP frame-ancestors. Storefront bundles are loaded by other
 * origins (the stores), so they are served cross-origin.
 *
 * Who may frame a page. BigCommerce documents a store's control panel origin as `control_panel_base_url`
 * in GET /v2/store, "the secure hostname of the control panel", e.g. `https://store-{store_hash}.mybigcommerce.com`
 * (reference/openapi/store_information.v2.yml); the control panel lives under `/manage` there. Once a page
 * belongs to a store (every admin page: its session names the store), only that origin may frame it: the
 * one the store's profile reported, or before the profile is read, the documented pattern for its hash.
 * That is as narrow as CSP goes: frame-ancestors matches an ancestor by origin, never by path, and
 * `store-{hash}.mybigcommerce.com` also serves the store's default storefront (its permanent address), so
 * a page of that one store's own storefront could still frame its admin — a store's pages are its
 * merchant's, and any other store's or site's are refused. Pages that belong to no store yet (the home
 * page, a refused /load) allow any `https://*.mybigcommerce.com`: they carry no action to trick anyone into.
 * In development, origins named in EXTRA_FRAME_ANCESTORS (the sandbox store's control panel, under
 * `npm start`) may frame it as well; production refuses that setting.
 */
import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { Config } from '../config.ts';
import type { Store } from '../db/schema.ts';
import { adminOf } from './admin-auth.ts';

/** Who may frame a page that belongs to no store yet. */
export const CONTROL_PANEL_ORIGINS = ['https://*.mybigcommerce.com'];

export function securityHeaders(options: { extraFrameAncestors?: string[]; secure: boolean }): RequestHandler {
  return helmet({
    frameguard: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    strictTransportSecurity: options.secure ? { maxAge: 180 * 24 * 3600 } : false,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'", ...CONTROL_PANEL_ORIGINS, ...(options.extraFrameAncestors ?? [])],
        ...(options.secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
  });
}

/** The store's control panel origin: as its profile reported it (HTTPS), else BigCommerce's documented pattern. */
export function controlPanelOrigin(store: Pick<Store, 'store_hash' | 'control_panel_url'>): string {
  try {
    const reported = new URL(store.control_panel_url);
    if (reported.protocol === 'https:') return reported.origin;
  } catch {
    // Not read yet (empty) or unusable: the documented pattern.
  }
  return `https://store-${store.store_hash}.mybigcommerce.com`;
}

/** After requireAdminSession: the page may be framed by its store's control panel only (and the extra origins of development). */
export function framedByItsControlPanel(config: Pick<Config, 'extraFrameAncestors'>): RequestHandler {
  return (_req, res, next) => {
    allowFramingBy(res, [controlPanelOrigin(adminOf(res).store), ...config.extraFrameAncestors]);
    next();
  };
}

/** After requireAdminSession: an admin page carries the session token in its links and forms, so no browser cache keeps it. */
export const keptOutOfCaches: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** Narrows the page's frame-ancestors to the given origins (replacing what securityHeaders allowed). */
export function allowFramingBy(res: Response, origins: readonly string[]): void {
  const csp = res.getHeader('Content-Security-Policy');
  if (typeof csp !== 'string') return;
  const ancestors = origins.length > 0 ? origins.join(' ') : "'none'";
  res.setHeader('Content-Security-Policy', csp.replace(/frame-ancestors [^;]*/, `frame-ancestors ${ancestors}`));
}

/** For public, read-only resources that stores' pages load: scripts and the storefront API. */
export const crossOriginReadable: RequestHandler = (_req, res, next) => {
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.setHeader('Access-Control-Allow-Origin', '*');
  next();
};
