import { expect } from '@open-wc/testing';
import { EMPTY_ANSWER, fetchAvailability, normaliseProductIds } from '../../storefront/src/lib/api-client.ts';
import type { ScriptContext } from '../../storefront/src/lib/script-context.ts';
import { answer } from './fixtures/answers.ts';
import { silenceWarnings } from './fixtures/page.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fakeFetch(reply: (url: string, init?: RequestInit) => Promise<Response>) {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    return reply(String(input), init);
  }) as typeof window.fetch;
  return { calls, fetch };
}

const json = (body: unknown, status = 200) => Promise.resolve(new Response(JSON.stringify(body), { status }));

describe('fetchAvailability', () => {
  silenceWarnings();
  // A page's: what a busy server asked it is kept on it.
  let context: ScriptContext;
  beforeEach(() => (context = { appOrigin: 'https://app.example.com', storeHash: 'abc123' }));

  it('when asked for products, then one CORS request without credentials names them sorted and once each', async () => {
    const { calls, fetch } = fakeFetch(() => json(answer()));
    const result = await fetchAvailability(context, ['34', 12, '34', 'x', -1, 7], { fetch });
    expect(calls).to.have.length(1);
    expect(calls[0]!.url).to.equal('https://app.example.com/storefront-api/v1/stores/abc123/availability?products=7,12,34');
    expect(calls[0]!.init).to.include({ mode: 'cors', credentials: 'omit' });
    expect(result?.settings?.themeProfile).to.equal('cornerstone');
  });

  it('when there are no products, then nothing is asked and the answer is empty', async () => {
    const { calls, fetch } = fakeFetch(() => json(answer()));
    expect(await fetchAvailability(context, [], { fetch })).to.deep.equal(EMPTY_ANSWER);
    expect(calls).to.have.length(0);
  });

  it('when there are more than 100 products, then the first 100 on the page are asked, sorted', () => {
    const onPage = Array.from({ length: 150 }, (_, i) => 150 - i);
    expect(normaliseProductIds(onPage)).to.deep.equal(Array.from({ length: 100 }, (_, i) => 51 + i));
    expect(normaliseProductIds(['7', '7', 'x', ...onPage]))
      .to.have.length(100)
      .and.include(7)
      .and.not.include(50);
  });

  it('when a page carries ids the server cannot hold (a widget’s data-product-id="3000000000"), then they are left out, not the whole list refused', () => {
    expect(normaliseProductIds(['3000000000', 2147483648, 2147483647, '5', 1.5, 0])).to.deep.equal([5, 2147483647]);
  });

  it('when the server fails for good, answers junk or another version, then it is not asked again and nothing is answered', async () => {
    for (const reply of [
      () => json({ error: 'boom' }, 500),
      () => json({ error: 'products: bad' }, 400),
      () => Promise.resolve(new Response('<html>', { status: 200 })),
      () => json({ ...answer(), v: 2 }),
      () => json({ v: 1, settings: null }),
      () => json({ ...answer(), settings: 'on' }),
      () => json(null),
      () => json(1),
    ]) {
      const { calls, fetch } = fakeFetch(reply);
      expect(await fetchAvailability(context, [1], { fetch })).to.equal(undefined);
      expect(calls).to.have.length(1);
    }
  });

  it('when the server is busy (429 with Retry-After), then it is asked once more after the wait it asks for', async () => {
    const times: number[] = [];
    const { calls, fetch } = fakeFetch(() => {
      times.push(performance.now());
      return times.length === 1 ? Promise.resolve(new Response('{}', { status: 429, headers: { 'Retry-After': '1' } })) : json(answer());
    });
    const result = await fetchAvailability(context, [1], { fetch });
    expect(calls).to.have.length(2);
    expect(times[1]! - times[0]!).to.be.at.least(990);
    expect(result?.settings?.themeProfile).to.equal('cornerstone');
  });

  it('when the server is busy (429 with Retry-After), then another ask from the page meanwhile is not sent before that time, and then goes', async () => {
    const times: number[] = [];
    const { calls, fetch } = fakeFetch(() => {
      times.push(performance.now());
      return times.length === 1 ? Promise.resolve(new Response('{}', { status: 429, headers: { 'Retry-After': '2' } })) : json(answer());
    });
    const first = fetchAvailability(context, [1], { fetch });
    await sleep(50);
    // The shopper picks another variant, or the theme re-renders the cart: the page asks again at once.
    const second = fetchAvailability(context, [2], { fetch });
    await sleep(1500);
    expect(calls).to.have.length(1);
    const answers = await Promise.all([first, second]);
    expect(calls.map((call) => new URL(call.url).searchParams.get('products')).sort()).to.deep.equal(['1', '1', '2']);
    expect(Math.min(...times.slice(1)) - times[0]!).to.be.at.least(1990);
    expect(answers.map((result) => result?.settings?.themeProfile)).to.deep.equal(['cornerstone', 'cornerstone']);
  });

  it('when Retry-After asks for longer than a few seconds, then nothing is answered at once and nothing retried, and the page’s next ask waits that time out', async () => {
    const times: number[] = [];
    const { calls, fetch } = fakeFetch(() => {
      times.push(performance.now());
      return times.length === 1 ? Promise.resolve(new Response('{}', { status: 429, headers: { 'Retry-After': '4' } })) : json(answer());
    });
    const since = performance.now();
    expect(await fetchAvailability(context, [1], { fetch })).to.equal(undefined);
    expect(performance.now() - since).to.be.below(1000);
    expect(calls).to.have.length(1);
    const later = await fetchAvailability(context, [1], { fetch });
    expect(calls).to.have.length(2);
    expect(times[1]! - times[0]!).to.be.at.least(3990);
    expect(later?.settings?.themeProfile).to.equal('cornerstone');
  });

  it('when another refusal pushes the wait further while an ask waits, then the ask waits for the later end', async () => {
    const times: number[] = [];
    const { fetch } = fakeFetch(() => (times.push(performance.now()), json(answer())));
    const since = performance.now();
    context.busy = sleep(300);
    const asked = fetchAvailability(context, [1], { fetch });
    await sleep(100);
    context.busy = sleep(900); // as a 429 answered to another ask of the page would set it
    expect((await asked)?.settings?.themeProfile).to.equal('cornerstone');
    expect(times[0]! - since).to.be.at.least(990);
  });

  it('when Retry-After asks for an hour (a proxy’s), then the page waits a minute at most', async () => {
    const { fetch } = fakeFetch(() => Promise.resolve(new Response('{}', { status: 429, headers: { 'Retry-After': '3600' } })));
    // The waits the client sets, each let go at once when longer than the test would.
    const waits: number[] = [];
    const realSetTimeout = window.setTimeout;
    window.setTimeout = ((handler: () => void, ms?: number) => {
      waits.push(ms ?? 0);
      return realSetTimeout(handler, (ms ?? 0) > 10_000 ? 0 : ms);
    }) as typeof window.setTimeout;
    try {
      expect(await fetchAvailability(context, [1], { fetch })).to.equal(undefined);
      await context.busy;
    } finally {
      window.setTimeout = realSetTimeout;
    }
    expect(Math.max(...waits)).to.equal(60_000);
  });

  it('when the network fails or the server is unavailable twice, then it is asked exactly twice and nothing is answered', async () => {
    for (const reply of [() => Promise.reject(new TypeError('Failed to fetch')), () => json({ error: 'down' }, 503)]) {
      const { calls, fetch } = fakeFetch(reply);
      expect(await fetchAvailability(context, [1], { fetch })).to.equal(undefined);
      expect(calls).to.have.length(2);
    }
  });

  it('when the server does not answer in time, then the request is aborted and asked once more, which may answer', async () => {
    let aborted = 0;
    const { calls, fetch } = fakeFetch((_url, init) =>
      aborted
        ? json(answer())
        : new Promise((_resolve, reject) =>
            init?.signal?.addEventListener('abort', () => {
              aborted++;
              reject(new DOMException('aborted', 'AbortError'));
            }),
          ),
    );
    const result = await fetchAvailability(context, [1], { fetch, timeoutMs: 20 });
    expect(aborted).to.equal(1);
    expect(calls).to.have.length(2);
    expect(result?.settings?.themeProfile).to.equal('cornerstone');
  });
});
