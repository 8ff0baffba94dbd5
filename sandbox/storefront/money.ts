/** Prices as the demo storefront shows them: the store's currency (USD, ref §2.1 `/v2/store`), en-US. */
const FORMAT = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export const CURRENCY = { code: 'USD', name: 'US Dollars', symbol: '$', decimalPlaces: 2 } as const;

export function formatMoney(value: number): string {
  return FORMAT.format(value);
}

/** A Stencil price value (`{ value, formatted, currency }`), as `product.price.without_tax` reads (ref §8.4). */
export function priceValue(value: number): { value: number; formatted: string; currency: string } {
  return { value, formatted: formatMoney(value), currency: CURRENCY.code };
}

/** Cents, for the rounding-free sums of a cart. */
export function roundMoney(value: number): number {
  return Math.round(value * 100) / 100;
}
