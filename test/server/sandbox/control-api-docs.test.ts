/**
 * Issue 15: the sandbox's control API is documented in one place (sandbox/control-api-docs.ts) that the home
 * page renders and the README is written from; every endpoint of the control router is there, and every
 * example the README shows does what it says when run against a started sandbox.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_API_END, CONTROL_API_START, CONTROL_ENDPOINTS, controlApiMarkdown, shownPath } from '../../../sandbox/control-api-docs.ts';
import { controlRoutes, type ControlDeps } from '../../../sandbox/control.routes.ts';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';

const run = promisify(execFile);
const README = readFileSync(path.join(import.meta.dirname, '../../../README.md'), 'utf8');

/** The README's part written from the description. */
function readmePart(): string {
  const from = README.indexOf(CONTROL_API_START);
  const to = README.indexOf(CONTROL_API_END);
  expect(from, 'README.md has the control-api markers').toBeGreaterThan(-1);
  return README.slice(from + CONTROL_API_START.length, to).trim();
}

/** Every route of the control router, as `METHOD /path`. */
function routerEndpoints(): string[] {
  const router = controlRoutes({} as ControlDeps) as unknown as { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
  return router.stack.flatMap(({ route }) => (route ? Object.keys(route.methods).map((method) => `${method.toUpperCase()} ${route.path}`) : []));
}

describe('the sandbox control API documentation', () => {
  it('when the control router is walked, then every endpoint it serves is described, and nothing described is missing from it', () => {
    const described = CONTROL_ENDPOINTS.map((e) => `${e.method} ${e.path}`);
    const served = routerEndpoints();
    expect(served.length).toBeGreaterThan(20);
    expect(
      served.filter((endpoint) => !described.includes(endpoint)),
      'endpoints to describe in sandbox/control-api-docs.ts',
    ).toEqual([]);
    expect(
      described.filter((endpoint) => !served.includes(endpoint)),
      'described endpoints the router does not serve',
    ).toEqual([]);
    for (const endpoint of CONTROL_ENDPOINTS)
      expect(
        [endpoint.does, endpoint.answer].every((text) => text.trim() !== ''),
        endpoint.path,
      ).toBe(true);
  });

  it('when the README is read, then its control API part is the one written from the description', () => {
    expect(readmePart(), 'run: node --import tsx sandbox/write-control-api-docs.ts').toBe(controlApiMarkdown());
  });
});

describe('the documented examples, against a started sandbox', () => {
  let t: TestSandbox;
  const APP = 'https://app.example.test';
  beforeAll(async () => {
    t = await startTestSandbox();
    t.sandbox.setAppUrl(APP);
  });
  afterAll(() => t?.stop());

  const control = async (apiPath: string) => (await fetch(`${t.sandbox.url}/__sandbox${apiPath}`)).json();
  /** The README's shell blocks in its control API part: the set-up first, then the examples. */
  const blocks = () => [...readmePart().matchAll(/```sh\n([\s\S]*?)\n```/g)].map((match) => match[1]!);
  const runExample = async (script: string) => {
    const [setup] = blocks();
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', `${setup}\n${script}`], { env: { ...process.env, SANDBOX_URL: t.sandbox.url } });
    return JSON.parse(stdout);
  };

  /** What each example must have done, by the words its title starts with. */
  const effects: Record<string, (answer: any) => Promise<void>> = {
    'Place an order': async (answer) => {
      const order = await control(`/stores/${t.storeHash}/orders/${answer.id}`);
      expect(order.status).toBe('Awaiting Fulfillment');
      expect(order.products.map((line: { product_id: number; quantity: number }) => [line.product_id, line.quantity])).toEqual([[111, 2]]);
    },
    'Change a level': async () => {
      expect((await control(`/stores/${t.storeHash}/products/111`)).inventory_level).toBe(25);
    },
    "Let up to 4 of each hook's deliveries": async (answer) => {
      expect(answer.deliveriesInFlight).toBe(4);
      expect((await control(`/stores/${t.storeHash}/switches`)).deliveriesInFlight).toBe(4);
    },
    'Mint a /load link': async (answer) => {
      const load = new URL(answer.load_url);
      expect(`${load.origin}${load.pathname}`).toBe(`${APP}/load`);
      // The link carries a payload of its own (each works once), for the same user and store.
      for (const jwt of [load.searchParams.get('signed_payload_jwt')!, answer.signed_payload_jwt]) {
        const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
        expect(claims.user.id).toBe(77);
        expect(claims.sub).toBe(`stores/${t.storeHash}`);
      }
    },
  };

  it('when every README example is run with curl, then each does what its title says', async () => {
    const examples = blocks().slice(1);
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const script of examples) {
      const title = script.split('\n')[0]!.replace(/^# /, '');
      const effect = Object.entries(effects).find(([start]) => title.startsWith(start))?.[1];
      expect(effect, `a check for the example "${title}"`).toBeDefined();
      await effect!(await runExample(script));
    }
  });

  it('when the home page is opened, then it lists every endpoint and the examples with this sandbox’s URL', async () => {
    const page = await (await fetch(`${t.sandbox.url}/`)).text();
    for (const endpoint of CONTROL_ENDPOINTS) expect(page).toContain(`<code>${endpoint.method} ${shownPath(endpoint).replaceAll('&', '&amp;')}</code>`);
    expect(page).toContain(`export SANDBOX_URL=${t.sandbox.url}`);
    expect(page).toContain('signed-payload?user_id=77');
  });
});
