/**
 * Security headers. The admin lives in an iframe of the BigCommerce control panel, so instead of
 * X-Frame-Options it names the control panel (and, in sandbox mode, the sandbox) in CSP frame-ancestors.
 * Storefront bundles are loaded by other origins (the stores), so they are served cross-origin.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export const CONTROL_PANEL_ORIGINS = ['https://*.bigcommerce.com', 'https://*.mybigcommerce.com'];

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

/** For public, read-only resources that stores' pages load: scripts and the storefront API. */
export const crossOriginReadable: RequestHandler = (_req, res, next) => {
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.setHeader('Access-Control-Allow-Origin', '*');
  next();
};
