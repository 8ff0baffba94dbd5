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
});
