import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxStore } from '../../../sandbox/index.ts';
import { schemaProblems, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';

let t: TestSandbox;
let store: SandboxStore;
beforeAll(async () => {
  t = await startTestSandbox();
  store = t.sandbox.store(t.storeHash);
});
afterAll(async () => {
  await t?.stop();
});

const script = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  kind: 'src',
  src: `https://example.com/${name}.js`,
  load_method: 'defer',
  location: 'footer',
  visibility: 'storefront',
  auto_uninstall: true,
  consent_category: 'essential',
  ...extra,
});

describe('content scripts (ref §7)', () => {
  it('when a script is created, then it is echoed with its uuid, the client id and the given fields', async () => {
    const answer = await t.post('/v3/content/scripts', script('loader'));
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ ...script('loader'), uuid: expect.any(String), api_client_id: expect.any(String), enabled: true, channel_id: 1 });
  });

  it('when a field is invalid, then 422 names it; script_tag needs html and the default load method', async () => {
    const bad = await t.post('/v3/content/scripts', script('bad', { visibility: 'everywhere', location: 'body' }));
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['location', 'visibility']);
    expect((await t.post('/v3/content/scripts', { name: 'inline', kind: 'script_tag', html: '<script></script>', load_method: 'defer' })).status).toBe(422);
  });

  it('when checkout visibility is asked without the checkout scope, then 403', async () => {
    const token = await t.sandbox.issueAccessToken(t.storeHash, ['store_v2_content']);
    expect((await t.post('/v3/content/scripts', script('checkout', { visibility: 'checkout' }), token)).status).toBe(403);
    expect((await t.post('/v3/content/scripts', script('storefront-only'), token)).status).toBe(200);
  });

  it('when an app has 10 scripts, then the 11th is refused; another app sees none of them', async () => {
    const existing = (await t.get('/v3/content/scripts')).body.data.length;
    for (let i = existing; i < 10; i++) expect((await t.post('/v3/content/scripts', script(`s${i}`))).status).toBe(200);
    expect((await t.post('/v3/content/scripts', script('eleventh'))).status).toBe(422);
    const other = await t.sandbox.issueAccessToken(t.storeHash, undefined, 'another-app');
    expect((await t.get('/v3/content/scripts', other)).body.data).toEqual([]);
    const mine = (await t.get('/v3/content/scripts')).body.data[0];
    expect((await t.get(`/v3/content/scripts/${mine.uuid}`, other)).status).toBe(404);
    expect((await t.call('DELETE', `/v3/content/scripts/${mine.uuid}`)).status).toBe(204);
    expect((await t.get(`/v3/content/scripts/${mine.uuid}`)).status).toBe(404);
  });
});

describe('v2 orders (ref §5)', () => {
  let first: number;
  let second: number;
  beforeAll(async () => {
    first = store.placeOrder({ lines: [{ productId: 100, quantity: 1 }], customerMessage: 'Leave at the door' }).id as number;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    second = store.placeOrder({ statusId: 7, lines: [{ productId: 126, variantId: 1034, quantity: 2 }] }).id as number;
  });

  it('when an order is read, then dates are RFC-2822, money is strings with 4 decimals and products is a resource link', async () => {
    const order = (await t.get(`/v2/orders/${first}`)).body;
    expect(order.date_created).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(order).toMatchObject({
      status_id: 11,
      status: 'Awaiting Fulfillment',
      total_inc_tax: '109.0000',
      customer_message: 'Leave at the door',
      date_shipped: '',
    });
    expect(order.products).toEqual({ url: `${t.base}/v2/orders/${first}/products`, resource: `/orders/${first}/products` });
  });

  it('when orders are listed with min_id, status_id, min_date_created or a sort, then they are filtered and ordered', async () => {
    const ids = async (query: string) => ((await t.get(`/v2/orders?${query}`)).body as Array<{ id: number }>).map((o) => o.id);
    expect(await ids('min_id=' + second)).toEqual([second]);
    expect(await ids('status_id=7')).toEqual([second]);
    expect(await ids(`min_id=${first}&sort=date_created:desc`)).toEqual([second, first]);
    expect(await ids('max_id=102')).toEqual([100, 101, 102]);
    const created = (await t.get(`/v2/orders/${second}`)).body.date_created as string;
    expect(await ids(`min_date_created=${encodeURIComponent(created)}`)).toEqual([second]);
    expect(await ids(`min_date_created=${encodeURIComponent(new Date(Date.parse(created)).toISOString())}`)).toEqual([second]);
    expect((await t.get('/v2/orders?min_id=999999')).status).toBe(204);
  });

  it('when an order line is read, then it carries product, variant, SKU, options and the shipped and refunded counts', async () => {
    const [line] = (await t.get(`/v2/orders/${second}/products`)).body;
    expect(line).toMatchObject({ order_id: second, product_id: 126, variant_id: 1034, sku: 'LTS-M', quantity: 2, quantity_shipped: 0, quantity_refunded: 0 });
    expect(line.product_options).toEqual([expect.objectContaining({ display_name: 'Size', display_value: 'M' })]);
  });

  it('when an order is read with include=consignments.line_items, then its one shipping consignment carries each line as /products answers it', async () => {
    const order = (await t.get(`/v2/orders/${second}?include=consignments.line_items&consignment_structure=object`)).body;
    expect(schemaProblems('v2.orders.get.200', order)).toEqual([]);
    expect(order.consignments).toMatchObject({ pickups: [], downloads: [], email: { gift_certificates: [] } });
    expect(order.consignments.shipping).toHaveLength(1);
    expect(order.consignments.shipping[0]).toMatchObject({ id: 1, items_total: 2, items_shipped: 0, shipping_method: 'Free Shipping' });
    expect(order.consignments.shipping[0].line_items).toEqual((await t.get(`/v2/orders/${second}/products`)).body);
    expect((await t.get(`/v2/orders/${second}/consignments?include=consignments.line_items`)).body).toEqual(order.consignments);
  });

  it('when consignments are included without their lines, then each line is a link; asked without consignment_structure=object, 400 says so', async () => {
    const [line] = (await t.get(`/v2/orders/${first}/products`)).body;
    const order = (await t.get(`/v2/orders/${first}?include=consignments&consignment_structure=object`)).body;
    const resource = `/orders/${first}/products/${line.id}`;
    expect(order.consignments.shipping[0].line_items).toEqual([{ url: `${t.base}/v2${resource}`, resource }]);
    expect((await t.get(`/v2/orders/${first}`)).body.consignments).toEqual({
      url: `${t.base}/v2/orders/${first}/consignments`,
      resource: `/orders/${first}/consignments`,
    });
    const refused = await t.get(`/v2/orders/${first}?include=consignments.line_items`);
    expect(refused.status).toBe(400);
    expect(refused.body[0].message).toMatch(/consignment_structure=object/);
  });

  it('when staff notes and the customer message are written, then they are kept and only order/updated fires', async () => {
    const before = store.events().length;
    const answer = await t.put(`/v2/orders/${first}`, { staff_notes: 'BACKORDER: ORBIT-L x1', customer_message: 'Leave at the door, please' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ staff_notes: 'BACKORDER: ORBIT-L x1', customer_message: 'Leave at the door, please' });
    expect(
      store
        .events()
        .slice(before)
        .map((e) => e.payload.scope),
    ).toEqual(['store/order/updated']);
  });

  it('when a read-only field is written, then 400 names it and nothing changes', async () => {
    const answer = await t.put(`/v2/orders/${first}`, { staff_notes: 'changed', items_total: 5 });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual([
      { status: 400, message: "The field 'items_total' cannot be written to. Please remove it from your request before trying again." },
    ]);
    expect((await t.get(`/v2/orders/${first}`)).body.staff_notes).toBe('BACKORDER: ORBIT-L x1');
  });

  it('when order statuses are listed, then 0–14 come with their names', async () => {
    const statuses = (await t.get('/v2/order_statuses')).body as Array<{ id: number; name: string }>;
    expect(statuses.map((s) => s.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(statuses.find((s) => s.id === 11)!.name).toBe('Awaiting Fulfillment');
    expect(statuses.find((s) => s.id === 14)!.name).toBe('Partially Refunded');
  });
});
