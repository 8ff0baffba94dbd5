import { expect } from '@open-wc/testing';
import { scriptContextFrom } from '../../storefront/src/lib/script-context.ts';

describe('scriptContextFrom', () => {
  it('when the loader URL names a store, then the app origin and store hash come from it', () => {
    expect(scriptContextFrom('https://app.example.com/storefront/loader.js?store=abc123')).to.deep.equal({
      appOrigin: 'https://app.example.com',
      storeHash: 'abc123',
    });
  });

  it('when the store parameter is missing or malformed, then there is no context', () => {
    expect(scriptContextFrom('https://app.example.com/storefront/loader.js')).to.equal(undefined);
    expect(scriptContextFrom('https://app.example.com/storefront/loader.js?store=../x')).to.equal(undefined);
    expect(scriptContextFrom(undefined)).to.equal(undefined);
  });

  it('when the URL carries a Custom profile’s selectors, then they are the context’s hints, empty ones as empty strings', () => {
    const sel = encodeURIComponent(JSON.stringify({ v: '.pdp', i: 'input[name="pid"]' }));
    expect(scriptContextFrom(`https://app.example.com/storefront/loader.js?store=abc123&v=1&sel=${sel}`)?.hints).to.deep.equal({
      productView: '.pdp',
      productId: 'input[name="pid"]',
      card: '',
    });
  });

  it('when the selectors parameter is garbage, then it is ignored and the store still loads', () => {
    for (const sel of ['%7B', 'null', '42', '%5B%5D', encodeURIComponent('{"i":7,"c":["x"]}'), encodeURIComponent('{"v":".pdp"}'), '']) {
      expect(scriptContextFrom(`https://app.example.com/storefront/loader.js?store=abc123&sel=${sel}`), sel).to.deep.equal({
        appOrigin: 'https://app.example.com',
        storeHash: 'abc123',
      });
    }
  });
});
