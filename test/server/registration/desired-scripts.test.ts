import { describe, expect, it } from 'vitest';
import { desiredScripts, SCRIPT_NAMES, scriptsVersion, type StorefrontBundle } from '../../../server/registration/registration.service.ts';
import { LOADER_SELECTORS_MAX_LENGTH, loaderSelectorsChanged, loaderSelectorsOf } from '../../../server/settings/loader-selectors.ts';
import { storefrontSettingsSchema } from '../../../server/settings/storefront-settings.schema.ts';

const bundle: StorefrontBundle = {
  loader: { path: '/storefront/loader.js', version: 'aaa111', integrity: 'sha384-l' },
  checkout: { path: '/storefront/checkout.js', version: 'bbb222', integrity: 'sha384-c' },
};
const loaderOf = (scripts: ReturnType<typeof desiredScripts>) => scripts.find((s) => s.name === SCRIPT_NAMES.storefront)!.src ?? '';
const custom = (customSelectors: Record<string, string>) => storefrontSettingsSchema.parse({ themeProfile: 'custom', customSelectors });

describe('desiredScripts and the Custom profile’s selectors', () => {
  it('when the store uses a named profile, then the loader URL has no selectors, even if some were saved', () => {
    const named = storefrontSettingsSchema.parse({ themeProfile: 'halothemes', customSelectors: { productId: '.pid' } });
    expect(loaderSelectorsOf(named)).toBeUndefined();
    expect(loaderOf(desiredScripts('https://app.test', 'abc', bundle, loaderSelectorsOf(named)))).toBe(
      'https://app.test/storefront/loader.js?store=abc&v=aaa111',
    );
    expect(scriptsVersion(bundle, undefined)).toBe('aaa111.bbb222');
  });

  it('when the store uses Custom, then the loader URL carries its product view, product id and card selectors, compactly', () => {
    const selectors = loaderSelectorsOf(custom({ productView: '.pdp', productId: 'input[name="pid"]', card: '', quantityInput: '.qty' }));
    expect(selectors).toEqual({ productView: '.pdp', productId: 'input[name="pid"]', card: '' });
    const src = loaderOf(desiredScripts('https://app.test', 'abc', bundle, selectors));
    expect(src).toBe(`https://app.test/storefront/loader.js?store=abc&v=aaa111&sel=${encodeURIComponent('{"v":".pdp","i":"input[name=\\"pid\\"]"}')}`);
    expect(JSON.parse(new URL(src).searchParams.get('sel')!)).toEqual({ v: '.pdp', i: 'input[name="pid"]' });
    // The checkout scripts do not change.
    expect(desiredScripts('https://app.test', 'abc', bundle, selectors).filter((s) => s.name !== SCRIPT_NAMES.storefront)).toEqual(
      desiredScripts('https://app.test', 'abc', bundle).filter((s) => s.name !== SCRIPT_NAMES.storefront),
    );
  });

  it('when the selectors change, then the recorded version changes too; other Custom selectors do not count', () => {
    const before = custom({ productId: '.pid' });
    const after = custom({ productId: '.pid', card: '.card' });
    expect(scriptsVersion(bundle, loaderSelectorsOf(before))).toMatch(/^aaa111\.bbb222\+[0-9a-f]{12}$/);
    expect(scriptsVersion(bundle, loaderSelectorsOf(after))).not.toBe(scriptsVersion(bundle, loaderSelectorsOf(before)));
    expect(loaderSelectorsChanged(before, after)).toBe(true);
    expect(loaderSelectorsChanged(before, custom({ productId: '.pid', quantityInput: '.qty' }))).toBe(false);
    expect(loaderSelectorsChanged(before, { ...before, themeProfile: 'cornerstone' })).toBe(true);
    // Only a product view, which finds nothing alone: the loader needs nothing.
    expect(loaderSelectorsOf(custom({ productView: '.pdp' }))).toBeUndefined();
  });

  it('when the selectors would make the loader URL too long, then saving them as Custom is refused, naming each of them', () => {
    const long = '.product-view ' + 'div > '.repeat(45) + '[data-x]';
    const result = storefrontSettingsSchema.safeParse({ themeProfile: 'custom', customSelectors: { productView: long, productId: long, card: '' } });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues.map(([path]) => path)).toEqual(['customSelectors.productView', 'customSelectors.productId']);
    expect(issues[0]![1]).toContain(`at most ${LOADER_SELECTORS_MAX_LENGTH} characters`);
    // The same selectors under a named profile are not sent, so they may be kept.
    expect(storefrontSettingsSchema.safeParse({ themeProfile: 'cornerstone', customSelectors: { productView: long, productId: long } }).success).toBe(true);
    expect(storefrontSettingsSchema.safeParse({ themeProfile: 'custom', customSelectors: { productView: long, productId: '.pid' } }).success).toBe(true);
  });
});
