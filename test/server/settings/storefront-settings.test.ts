import { describe, expect, it } from 'vitest';
import {
  placeholdersIn,
  storefrontSettingsSchema,
  storefrontTexts,
  textsUseStockNumbers,
  THEME_PROFILES,
} from '../../../server/settings/storefront-settings.schema.ts';
import { DEFAULT_SETTINGS, settingsSchema } from '../../../server/settings/settings.schema.ts';
import { storefrontGroupsView } from '../../../server/settings/storefront-form.ts';
import type { StorefrontSettingsView } from '../../../storefront/src/contract/storefront-api.ts';
import { meetsAA } from '../../../storefront/src/contract/contrast.ts';

const defaults = storefrontSettingsSchema.parse({});

function problems(input: unknown): Array<{ field: string; message: string }> {
  const result = storefrontSettingsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
}

describe('storefront settings', () => {
  it('when nothing is saved, then every text, colour and switch has a default and messages are on', () => {
    expect(DEFAULT_SETTINGS.storefront).toEqual(defaults);
    expect(defaults.enabled).toBe(true);
    expect(defaults.themeProfile).toBe('cornerstone');
    expect(defaults.quantityMessage.backorderedText).toBe('{backordered} of {quantity} will be backordered.');
    expect(defaults.quantityMessage.overLimitText).toBe('Only {salable} can be ordered.');
    expect(defaults.backInStockDate).toEqual({ show: true, dateStyle: 'long', text: 'Expected back in stock on {date}.' });
    expect(Object.values(defaults.customSelectors).every((value) => value === '')).toBe(true);
    expect(storefrontTexts(defaults).length).toBeGreaterThanOrEqual(18);
    // The defaults pass their own rules, so saving them back changes nothing.
    expect(storefrontSettingsSchema.parse(structuredClone(defaults))).toEqual(defaults);
  });

  it('when a cart line no longer backorders, then the text screen readers hear has a default, even for a store that saved its cart texts before it existed, and takes the cart line’s placeholders only', () => {
    expect(defaults.cartMessage.inStockText).toBe('None will be backordered now.');
    // A store's saved overrides from before: the new text comes from its default, no migration.
    const saved = settingsSchema.parse({ storefront: { cartMessage: { backorderedText: '{backordered} later' } } }).storefront.cartMessage;
    expect(saved).toEqual({ ...defaults.cartMessage, backorderedText: '{backordered} later' });
    expect(storefrontTexts(defaults)).toContainEqual(['cartMessage.inStockText', 'None will be backordered now.']);
    expect(problems({ cartMessage: { inStockText: 'All {quantity} ship now ({onHand} on hand).' } })).toEqual([]);
    for (const inStockText of ['{name}: ships now', 'Ships {date}', '{inCart} in your cart', ''])
      expect(problems({ cartMessage: { inStockText } }), inStockText).toMatchObject([{ field: 'cartMessage.inStockText' }]);
  });

  it('when a store had chosen the all-digits short date style, then shoppers get the medium style, and the form offers only styles that name the month', () => {
    // Intl's short style reads 04/03/2027 in en-GB and 3/4/27 in en-US: March or April, depending on the reader.
    const chosenShort = storefrontSettingsSchema.parse({ backInStockDate: { dateStyle: 'short' } });
    expect(chosenShort.backInStockDate.dateStyle).toBe('medium');
    const field = storefrontGroupsView(chosenShort, new Map())
      .flatMap((group) => group.sections.flatMap((section) => section.fields))
      .find((f) => f.name === 'storefront.backInStockDate.dateStyle')!;
    expect(field.options!.map((o) => [o.value, o.selected])).toEqual([
      ['full', false],
      ['long', false],
      ['medium', true],
    ]);
    for (const { value } of field.options!) {
      for (const locale of ['en', 'en-US', 'en-GB', 'en-AU', 'fr-FR', 'es-ES', 'it-IT']) {
        const shown = new Intl.DateTimeFormat(locale, { dateStyle: value as 'full', timeZone: 'UTC' }).format(Date.UTC(2027, 2, 4));
        expect(shown, `${value} in ${locale}`).toMatch(/\p{L}{3}/u);
      }
    }
  });

  it('when a product page text counts the shopper’s cart, then {inCart} is accepted there and refused on cart lines', () => {
    expect(defaults.quantityMessage.overLimitInCartText).toBe('You have {inCart} in your cart; only {salable} more can be ordered.');
    expect(
      problems({
        quantityMessage: { overLimitText: 'Only {salable} more ({inCart} in your cart).' },
        addToCartMessage: { backorderedText: '{inCart} + {quantity}' },
      }),
    ).toEqual([]);
    expect(problems({ cartMessage: { overLimitText: '{inCart} in your cart' } })).toMatchObject([{ field: 'cartMessage.overLimitText' }]);
  });

  it('when the theme profiles are listed, then the stored values stay as before', () => {
    expect(THEME_PROFILES).toEqual(['cornerstone', 'cornerstone-legacy', 'halothemes', 'pixel-union', 'papathemes', 'custom']);
    expect(problems({ themeProfile: 'shopify' })).toMatchObject([{ field: 'themeProfile' }]);
  });

  it('when the default colours are used, then button and badge text meet WCAG AA contrast', () => {
    expect(meetsAA(defaults.addToCartButton.textColor, defaults.addToCartButton.backgroundColor)).toBe(true);
    expect(meetsAA(defaults.badge.textColor, defaults.badge.backgroundColor)).toBe(true);
  });

  it('when a colour is not a hex colour, then that field is named; an empty colour keeps the theme’s', () => {
    expect(problems({ addToCartButton: { backgroundColor: 'red' }, badge: { textColor: '#12345' } }).map((p) => p.field)).toEqual([
      'addToCartButton.backgroundColor',
      'badge.textColor',
    ]);
    const parsed = storefrontSettingsSchema.parse({ addToCartButton: { backgroundColor: '#ABC', textColor: '' } });
    expect(parsed.addToCartButton).toMatchObject({ backgroundColor: '#ABC', textColor: '' });
  });

  it('when a text is too long, empty where it is required, or uses an unknown placeholder, then it is refused', () => {
    expect(problems({ quantityMessage: { backorderedText: 'x'.repeat(201) } })).toMatchObject([
      { field: 'quantityMessage.backorderedText', message: 'Use at most 200 characters.' },
    ]);
    expect(problems({ addToCartButton: { text: '   ' } })).toMatchObject([{ field: 'addToCartButton.text', message: 'Enter a text.' }]);
    expect(problems({ cartMessage: { backorderedText: '{backorderd} will wait' } })).toMatchObject([
      { field: 'cartMessage.backorderedText', message: expect.stringContaining('{backordered}') },
    ]);
    expect(problems({ backInStockDate: { text: 'Coming back soon' } })).toMatchObject([{ field: 'backInStockDate.text', message: 'Include {date}.' }]);
  });

  it('when an optional text is empty, then that message is simply not shown', () => {
    expect(problems({ shippingDescription: { inStockText: '' }, badge: { soldOutText: '' } })).toEqual([]);
  });

  it('when the locale or a custom selector is malformed, then it is refused', () => {
    expect(problems({ locale: 'de_DE' }).map((p) => p.field)).toEqual(['locale']);
    expect(problems({ locale: 'de-DE' })).toEqual([]);
    expect(problems({ customSelectors: { card: '.card{color:red}' } }).map((p) => p.field)).toEqual(['customSelectors.card']);
    expect(problems({ themeProfile: 'custom', customSelectors: { card: 'li.product > .card' } })).toEqual([]);
  });

  it('when texts use stock placeholders, then exact numbers are needed; without them (or switched off) they are not', () => {
    expect(placeholdersIn('{backordered} of {quantity}')).toEqual(['backordered', 'quantity']);
    expect(textsUseStockNumbers(defaults)).toBe(true);
    const quiet = storefrontSettingsSchema.parse({
      quantityMessage: { backorderedText: 'Part of this quantity will be backordered.', overLimitText: 'Lower the quantity.' },
      addToCartMessage: { enabled: false },
      cartMessage: { backorderedText: 'Some of these will be backordered.', overLimitText: 'Lower the quantity.' },
      shippingDescription: { backorderText: 'Backordered items ship later.' },
      checkoutNotice: { lineText: '{name}' },
    });
    // The default in-cart texts and the checkout notice's over-limit line use {salable} but show only when exact numbers came anyway.
    expect(quiet.quantityMessage.overLimitInCartText).toContain('{salable}');
    expect(quiet.checkoutNotice.overLimitLineText).toContain('{salable}');
    expect(textsUseStockNumbers(quiet)).toBe(false);
    expect(textsUseStockNumbers({ ...quiet, inventoryDescription: { ...quiet.inventoryDescription, inStockText: '{onHand} in stock' } })).toBe(true);
  });

  it('when sent to the storefront, then the settings without `enabled` are exactly the API’s settings view', () => {
    const { enabled: _enabled, ...view } = settingsSchema.parse({}).storefront;
    const typed: StorefrontSettingsView = view;
    expect(Object.keys(typed).sort()).toEqual(
      Object.keys(defaults)
        .filter((key) => key !== 'enabled')
        .sort(),
    );
  });
});
