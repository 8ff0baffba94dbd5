import { expect } from '@open-wc/testing';
import { pageContextFrom, productSource } from '../../storefront/src/lib/page-context.ts';
import { answer, onBackorder } from './fixtures/answers.ts';
import { LOADER } from './fixtures/page.ts';

describe('products found after the first answer', () => {
  let realFetch: typeof fetch;
  let asked: number[][];
  let busy: number;
  beforeEach(() => {
    realFetch = window.fetch;
    asked = [];
    busy = 0;
    window.fetch = (async (input: RequestInfo | URL) => {
      const ids = new URL(String(input)).searchParams.get('products')!.split(',').map(Number);
      asked.push(ids);
      if (busy-- > 0) return new Response('{}', { status: 503, headers: { 'Retry-After': '0' } });
      const products = Object.fromEntries(ids.filter((id) => id % 50 === 0).map((id) => [String(id), { item: onBackorder }]));
      return new Response(JSON.stringify({ ...answer(), products }), { headers: { 'Content-Type': 'application/json' } });
    }) as typeof fetch;
  });
  afterEach(() => (window.fetch = realFetch));

  it('when a listing shows more than 100 new products, then they are asked 100 at a time and none is lost or asked twice', async () => {
    const page = (await pageContextFrom({ ...LOADER, answer: answer(), asked: [1, 2] }))!;
    const ask = productSource(page);
    const ids = Array.from({ length: 250 }, (_, i) => String(i + 1));
    expect(await ask(ids)).to.equal(true);
    expect(asked.map((chunk) => chunk.length)).to.deep.equal([100, 100, 48]);
    expect(asked.flat().sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 248 }, (_, i) => i + 3));
    expect(Object.keys(page.answer.products).filter((id) => Number(id) % 50 === 0)).to.have.length(5);
    expect(await ask(['50', '51'])).to.equal(false);
    expect(asked).to.have.length(3);
  });

  it('when the API does not answer even on the retry, then those products are asked again when next looked for', async () => {
    const page = (await pageContextFrom({ ...LOADER, answer: answer(), asked: [] }))!;
    const ask = productSource(page);
    busy = 2;
    expect(await ask(['50', '51'])).to.equal(false);
    expect(asked).to.deep.equal([
      [50, 51],
      [50, 51],
    ]);
    expect(await ask(['50', '51'])).to.equal(true);
    expect(asked).to.have.length(3);
    expect(page.answer.products['50']).to.exist;
  });
});
