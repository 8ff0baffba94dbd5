/**
 * How the app names a cart, checkout or order line to the shopper. Kept apart from the core chunk and from
 * checkout-sdk, so that the cart's entries and the checkout script each take it without the other's weight.
 */

/** An option the shopper chose for a line: the Storefront Cart API's and checkout-sdk's `options[]` (`nameId`, `valueId` unread). */
export interface LineOption {
  name: string;
  value: string;
}

/**
 * The line as the shopper chose it, "Fog Linen Chambray Towel (Grey Stripe, M)", so that two variants of one product
 * read apart; the name alone for a product without options.
 */
export function lineName(name: string, values: readonly string[]): string {
  return values.length ? `${name} (${values.join(', ')})` : name;
}

/** A cart line's name with the values of its options (see `lineName`); undefined while the line's name is not known. */
export function cartLineName(line: { name?: string | undefined; options?: readonly LineOption[] | undefined }): string | undefined {
  return line.name ? lineName(line.name, line.options?.map((option) => option.value) ?? []) : undefined;
}
