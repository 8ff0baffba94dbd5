import { expect } from '@open-wc/testing';
import { EMPTY_ANSWER, fetchAvailability, normaliseProductIds } from '../../storefront/src/lib/api-client.ts';
import { answer } from './fixtures/answers.ts';
import { silenceWarnings } from './fixtures/page.ts';

const context = { appOrigin: 'https://app.example.com', storeHash: 'abc123' };

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

  it('when asked for products, then one CORS request without credentials names them sorted and once each', async () => {
    const { calls, fetch } = fakeFetch(() => json(answer()));
    const result = await fetchAvailability(context, ['34', 12, '34', 'x', -1, 7], { fetch });
    expect(calls).to.have.length(1);
    expect(calls[0]!.url).to.equal('https://app.example.com/storefront-api/v1/stores/abc123/availability?products=7,12,34');
    expect(calls[0]!.init).to.include({ mode: 'cors', credentials: 'omit' });
    expect(result.settings?.themeProfile).to.equal('cornerstone');
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

  it('when the server fails, answers junk or another version, then the page gets an empty answer', async () => {
    for (const reply of [
      () => json({ error: 'boom' }, 500),
      () => Promise.resolve(new Response('<html>', { status: 200 })),
      () => json({ ...answer(), v: 2 }),
      () => json({ v: 1, settings: null }),
      () => Promise.reject(new TypeError('Failed to fetch')),
    ]) {
      const { fetch } = fakeFetch(reply);
      expect(await fetchAvailability(context, [1], { fetch })).to.deep.equal(EMPTY_ANSWER);
    }
  });

  it('when the server does not answer in time, then the request is aborted and the answer is empty', async () => {
    let aborted = false;
    const { fetch } = fakeFetch(
      (_url, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new DOMException('aborted', 'AbortError'));
          }),
        ),
    );
    expect(await fetchAvailability(context, [1], { fetch, timeoutMs: 20 })).to.deep.equal(EMPTY_ANSWER);
    expect(aborted).to.equal(true);
  });
});
