/**
 * The import rules `npm test` checks (npm run lint): no cycles, dependencies point down, the sandbox and
 * the app never import each other, and only server/bigcommerce/ talks HTTP.
 *
 * The layers of server/, top to bottom:
 *   entry points   main.ts, app.ts, admin.router.ts, wiring.ts, workers/, *.routes.ts, scripts/, and the
 *                  admin's page shell (admin/render.ts), which the routes render through
 *   domains        app-lifecycle, assignments, backorders, catalog, imports, inventory, jobs, orders, plans,
 *                  reconcile, registration, reports, selling, settings, storefront-api, stores, themes, webhooks, health,
 *                  operator
 *   foundations    bigcommerce/, db/, http/, csv/, metrics/, admin/paging.ts and admin/view-helpers.ts, config.ts,
 *                  logger.ts, redis.ts, errors.ts, keyring.ts, with-timeout.ts, dev-secrets.ts, root.ts
 * Domains are ranked (DOMAIN_RANKS, lowest first): a domain's modules import only domains of a lower rank,
 * so the domains form no cycle either. Within a domain, repositories (*.repo.ts) return rows and import no
 * service or job.
 */
const ENTRY = '^server/(main|app|admin\\.router|wiring)\\.ts$|^server/workers/|^server/.+\\.routes\\.ts$|^server/admin/render\\.ts$';
const FOUNDATION =
  '^server/(bigcommerce|db|http|csv|metrics)/|^server/admin/(paging|view-helpers)\\.ts$|^server/(config|logger|redis|errors|keyring|with-timeout|plural|dev-secrets|root)\\.ts$';

const DOMAIN_RANKS = [
  ['backorders', 'plans', 'settings', 'health'],
  ['stores', 'registration'],
  ['inventory', 'webhooks', 'themes'],
  ['selling', 'jobs', 'orders', 'storefront-api'],
  ['catalog', 'reconcile'],
  ['assignments', 'reports', 'app-lifecycle'],
  ['imports'],
  ['operator'],
];

/** For each domain: its modules (entry points aside) import no domain of its own rank or above. */
const domainsPointDown = DOMAIN_RANKS.flatMap((rank, index) =>
  rank.map((domain) => {
    const notBelow = DOMAIN_RANKS.slice(index)
      .flat()
      .filter((other) => other !== domain);
    return {
      name: `domain-${domain}-imports-only-lower-domains`,
      severity: 'error',
      comment: `${domain}/ may import ${DOMAIN_RANKS.slice(0, index).flat().join(', ') || 'no other domain'}; see DOMAIN_RANKS.`,
      from: { path: `^server/${domain}/`, pathNot: ENTRY },
      to: { path: `^server/(${notBelow.join('|')})/` },
    };
  }),
);

module.exports = {
  forbidden: [
    ...domainsPointDown,
    { name: 'no-cycles', severity: 'error', comment: 'A cycle ties modules together: move the shared part down.', from: {}, to: { circular: true } },
    {
      name: 'app-never-imports-sandbox',
      severity: 'error',
      comment: 'The sandbox is a second, independent BigCommerce: only the start script and tests may use it.',
      from: { path: '^(server|storefront/src)/' },
      to: { path: '^sandbox/' },
    },
    {
      name: 'sandbox-never-imports-app',
      severity: 'error',
      comment: 'The sandbox implements BigCommerce on its own; sharing the app’s code would let both be wrong alike.',
      from: { path: '^sandbox/' },
      to: { path: '^(server|storefront/src)/' },
    },
    {
      name: 'storefront-bundle-stays-in-the-browser',
      severity: 'error',
      comment: 'The storefront bundle shares only its contract (storefront/src/contract/) with the server.',
      from: { path: '^storefront/src/' },
      to: { path: '^server/' },
    },
    {
      name: 'server-reads-only-the-storefront-contract',
      severity: 'error',
      comment: 'The server and the bundle share types through storefront/src/contract/ alone.',
      from: { path: '^server/' },
      to: { path: '^storefront/src/', pathNot: '^storefront/src/contract/' },
    },
    {
      name: 'nothing-imports-entry-points',
      severity: 'error',
      comment: 'Entry points (routes, workers, the composition root) sit on top: nothing below may import them.',
      from: { path: '^server/', pathNot: ENTRY },
      to: { path: ENTRY },
    },
    {
      name: 'foundations-import-no-domain',
      severity: 'error',
      comment: 'bigcommerce/, db/, http/ and the like serve every domain and know none.',
      from: { path: FOUNDATION },
      to: { path: '^server/', pathNot: FOUNDATION },
    },
    {
      name: 'repositories-return-rows',
      severity: 'error',
      comment: 'A repository imports no service or job: the service calls the repository, never the reverse.',
      from: { path: '\\.repo\\.ts$' },
      to: { path: '\\.(service|job|jobs|handler)\\.ts$' },
    },
    {
      name: 'only-bigcommerce-talks-http',
      severity: 'error',
      comment: 'server/bigcommerce/ is the one door to BigCommerce: HTTP clients are imported there only (ESLint forbids fetch and http.request elsewhere).',
      from: { path: '^server/', pathNot: '^server/bigcommerce/' },
      to: { path: '^(https|undici|node-fetch|axios|got|superagent)$', dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|storefront/dist)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
