/**
 * The Account API's GraphQL endpoint (`POST /accounts/{account uuid}/graphql`) for Unified Billing's
 * operations, the control panel's merchant checkout page where the store owner accepts or leaves, and the
 * control surface for tests (`/__sandbox/billing/...`). The sandbox has no GraphQL engine: it recognises
 * the documented operations by their root field and answers with every documented field.
 */
import express, { type Request, type Response, type Router } from 'express';
import { BillingBook, BillingRefusal, billingUuidOf, type BillingScope } from './billing.ts';
import { checkoutView, subscriptionView } from './billing-views.ts';
import { merchantCheckoutPage } from './merchant-checkout-page.ts';

type Variables = Record<string, unknown>;

interface Operation {
  field: RegExp;
  scope: BillingScope;
  run(book: BillingBook, variables: Variables, caller: string): unknown;
}

const OPERATIONS: Operation[] = [
  {
    field: /\bcreateCheckout\s*\(/,
    scope: 'account_checkouts_create',
    run: (book, v, caller) => ({ checkout: { createCheckout: { checkout: checkoutView(book, book.createCheckout(caller, (v.checkout ?? {}) as never)) } } }),
  },
  {
    field: /\bcancelSubscription\s*\(/,
    scope: 'account_subscriptions_cancel',
    run: (book, v, caller) => {
      const s = book.cancel(String((v.subscription as { id?: unknown } | undefined)?.id ?? ''), caller);
      return {
        subscription: {
          cancelSubscription: { subscriptionId: subscriptionView(s).id, cancelledAt: s.cancelledAt === null ? null : new Date(s.cancelledAt).toISOString() },
        },
      };
    },
  },
  {
    field: /\bcheckout\s*\(\s*id\s*:/,
    scope: 'account_checkouts_read',
    run: (book, v) => {
      const checkout = book.checkout(billingUuidOf(v.checkoutId, 'checkout') ?? '');
      return { account: { checkout: checkout ? checkoutView(book, checkout) : null } };
    },
  },
  {
    field: /\bsubscriptions\b/,
    scope: 'account_subscriptions_read',
    run: (book, v) => {
      const filters = (v.filters ?? {}) as { scopeId?: string; productId?: string; status?: string; ids?: string[] };
      const all = book.subscriptions(filters);
      const first = Math.min(50, Number(v.first ?? 10) || 10);
      const start = typeof v.after === 'string' ? Number(Buffer.from(v.after, 'base64url').toString()) + 1 : 0;
      const page = all.slice(start, start + first);
      const cursor = (i: number) => Buffer.from(String(start + i)).toString('base64url');
      return {
        account: {
          subscriptions: {
            pageInfo: {
              hasNextPage: start + first < all.length,
              hasPreviousPage: start > 0,
              startCursor: page.length ? cursor(0) : null,
              endCursor: page.length ? cursor(page.length - 1) : null,
            },
            edges: page.map((s, i) => ({ cursor: cursor(i), node: subscriptionView(s) })),
          },
        },
      };
    },
  },
];

/** `POST /accounts/:uuid/graphql`. */
export function accountGraphqlRoutes(book: () => BillingBook): Router {
  const router = express.Router();
  router.post('/accounts/:uuid/graphql', express.json({ limit: '1mb' }), (req: Request, res: Response) => {
    const { query, variables } = (req.body ?? {}) as { query?: unknown; variables?: Variables };
    const operation = typeof query === 'string' ? OPERATIONS.find((o) => o.field.test(query)) : undefined;
    if (!operation) {
      res.json({ errors: [{ message: 'The sandbox answers createCheckout, checkout, subscriptions and cancelSubscription only.' }] });
      return;
    }
    const account = String(req.params.uuid);
    try {
      const token = book().authorize(req.get('X-Auth-Token'), account, operation.scope);
      if (!token) {
        res.status(401).json({ errors: [{ message: 'Invalid credentials.' }] });
        return;
      }
      res.json({ data: operation.run(book(), variables ?? {}, account) });
    } catch (error) {
      if (!(error instanceof BillingRefusal)) throw error;
      res.json({ data: null, errors: [{ message: error.message, path: [] }] });
    }
  });
  return router;
}

/** Under `/__sandbox`: the merchant checkout page of a store's control panel, and the test controls. */
export function billingControlRoutes(book: () => BillingBook): Router {
  const router = express.Router();
  router.get('/stores/:hash/manage/merchant-checkout', (req, res) => {
    const checkout = book().checkout(String(req.query.checkoutId ?? ''));
    res.type('html').send(merchantCheckoutPage(String(req.params.hash), checkout, checkout ? book().expired(checkout) : false));
  });
  router.post('/stores/:hash/manage/merchant-checkout', express.urlencoded({ extended: false }), (req, res) => {
    const { checkoutId, choice } = req.body as { checkoutId?: string; choice?: string };
    const checkout = book().checkout(String(checkoutId ?? ''));
    if (!checkout || checkout.item.storeHash !== req.params.hash) {
      res
        .status(404)
        .type('html')
        .send(merchantCheckoutPage(String(req.params.hash), undefined, false));
      return;
    }
    if (choice === 'accept') {
      try {
        book().accept(checkout.id);
      } catch (error) {
        if (!(error instanceof BillingRefusal)) throw error;
        res
          .status(409)
          .type('html')
          .send(merchantCheckoutPage(String(req.params.hash), checkout, book().expired(checkout), error.message));
        return;
      }
    }
    // Accepted or left, BigCommerce sends the merchant to the checkout's redirectUrl.
    res.redirect(303, checkout.item.redirectUrl);
  });

  router.use('/billing', express.json());
  router.get('/billing', (_req, res) => {
    const { partnerAccountUuid, appId, tokens } = book().state;
    res.json({ partnerAccountUuid, appId, accountApiToken: tokens[0]?.token });
  });
  router.post('/billing/tokens', (req, res) => void res.status(201).json(book().issueToken(req.body as never)));
  router.get('/billing/stores/:hash/subscriptions', (req, res) => {
    res.json(
      book()
        .subscriptions({ scopeId: `bc/account/scope/${req.params.hash}` })
        .map(subscriptionView),
    );
  });
  router.get('/billing/stores/:hash/checkouts', (req, res) => {
    res.json(
      book()
        .state.checkouts.filter((c) => c.item.storeHash === req.params.hash)
        .map((c) => checkoutView(book(), c)),
    );
  });
  router.post('/billing/checkouts/:id/accept', (req, res) => void res.json(checkoutView(book(), book().accept(String(req.params.id)))));
  router.post('/billing/checkouts/:id/age', (req, res) => {
    book().age(String(req.params.id), Number((req.body as { ms?: number }).ms ?? 0));
    res.status(204).end();
  });
  router.patch('/billing/subscriptions/:id', (req, res) => {
    const body = req.body as { status?: 'ACTIVE' | 'CANCELLED' | 'SUSPENDED'; currentPeriodEnd?: string; cancelledAt?: string | null };
    const patch = {
      ...(body.status ? { status: body.status } : {}),
      ...(body.currentPeriodEnd ? { currentPeriodEnd: Date.parse(body.currentPeriodEnd) } : {}),
      ...(body.cancelledAt !== undefined ? { cancelledAt: body.cancelledAt === null ? null : Date.parse(body.cancelledAt) } : {}),
    };
    res.json(subscriptionView(book().update(String(req.params.id), patch)));
  });
  router.use('/billing', (error: unknown, _req: Request, res: Response, next: (e: unknown) => void) => {
    if (!(error instanceof BillingRefusal)) return next(error);
    res.status(409).json({ error: error.message });
  });
  return router;
}
