/**
 * The preview's sample items, one per situation a shopper can meet, each shown by the storefront's own
 * components: in stock; on backorder with a back-in-stock date (with the restyled Add to Cart button and
 * the message after adding); over the limit; sold out; a cart line, and what is heard of one lowered within stock;
 * product cards; the checkout notice.
 */
import type { ItemAvailability, StorefrontSettingsView } from '../contract/storefront-api.ts';
import { splitQuantity } from '../lib/availability.ts';
import { define } from '../lib/dom.ts';
import '../components/bo-card-badge.ts';
// In the cart page's chunk, which the preview loads anyway (`loadComponents`): no file of its own.
import { withinStockText } from '../components/bo-cart-line-message.ts';
import '../components/bo-checkout-notice.ts';
import { BoMessageElement } from '../components/shared.ts';

/**
 * Loads the product and cart pages' components the way a shop's listing page loads its quick views: from
 * the page entries' own files, imported on demand, so the bundle's files for shops stay as they are.
 */
export async function loadComponents(): Promise<void> {
  await Promise.all([import('../entries/product.ts'), import('../entries/cart.ts')]);
}

/** A date well ahead, so the sample reads as expected stock. */
export const SAMPLE_DATE = `${new Date().getUTCFullYear() + 1}-03-15`;

const IN_STOCK: ItemAvailability = { status: 'in_stock', onHand: 3, salable: 8, backInStockDate: null, incomingLeft: null };

/**
 * What screen readers hear when a cart line that had units beyond stock is lowered to ship all from stock. A shop
 * never shows it (the line's message goes quiet; the words are said through the page's live region), so the
 * preview shows them here, as `bo-cart-line-message` says them: after the line's name.
 */
class BoSampleHeard extends BoMessageElement {
  protected message(settings: StorefrontSettingsView) {
    const text = withinStockText(settings, splitQuantity(IN_STOCK, 2), (template, values) => this.fill(template, values));
    return { text: text && `Orbit Terrarium: ${text}` };
  }
}
define('bo-sample-heard', BoSampleHeard);
const ON_BACKORDER: ItemAvailability = { status: 'backorder', onHand: 0, salable: 10, backInStockDate: SAMPLE_DATE, incomingLeft: 20 };
const SOLD_OUT: ItemAvailability = { status: 'sold_out', onHand: 0, salable: 0, backInStockDate: null, incomingLeft: null };

type Settable = HTMLElement & { settings?: StorefrontSettingsView };

function element<K extends keyof HTMLElementTagNameMap>(tag: K, properties: Partial<HTMLElementTagNameMap[K]>): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), properties);
}

/** A stand-in for the theme's Add to Cart button, as Cornerstone renders it (an `<input type=submit>`). */
function themeButton(): HTMLInputElement {
  return element('input', { type: 'button', value: 'Add to Cart', className: 'bo-sample-button' });
}

/**
 * Fills each `[data-sample]` of `root` with its components; returns them, to be given settings. The samples are
 * no news to announce: the messages that speak through the page's live region in a shop keep to their own here,
 * until `quietSamples` takes those away.
 */
export function mountSamples(root: ParentNode): Settable[] {
  const mounted: Settable[] = [];
  const place = (sample: string, ...elements: HTMLElement[]) => {
    const target = root.querySelector(`[data-sample="${sample}"]`);
    if (!target) return;
    target.append(...elements);
    mounted.push(...elements.filter((e) => e.localName.startsWith('bo-')));
  };

  place('in-stock', element('bo-inventory-description', { item: IN_STOCK }), element('bo-shipping-description', { item: IN_STOCK, quantity: 1 }));

  const button = themeButton();
  place(
    'backorder',
    element('bo-inventory-description', { item: ON_BACKORDER }),
    element('bo-quantity-message', { item: ON_BACKORDER, quantity: 2 }),
    button,
    element('bo-add-to-cart-button', { item: ON_BACKORDER, buttons: [button] }),
    element('bo-shipping-description', { item: ON_BACKORDER, quantity: 2 }),
    element('bo-add-to-cart-message', { outcome: { kind: 'backordered', split: splitQuantity(ON_BACKORDER, 2) }, announces: false }),
  );

  place(
    'over-limit',
    element('bo-quantity-message', { item: ON_BACKORDER, quantity: 12 }),
    element('bo-add-to-cart-message', { outcome: { kind: 'over-limit', split: splitQuantity(ON_BACKORDER, 12) }, announces: false }),
    element('bo-quantity-message', { item: ON_BACKORDER, quantity: 8, inCart: 4 }),
    element('bo-add-to-cart-message', { outcome: { kind: 'over-limit', split: splitQuantity(ON_BACKORDER, 8, 4) }, announces: false }),
  );

  place('sold-out', element('bo-inventory-description', { item: SOLD_OUT }));

  place(
    'cart-line',
    element('bo-cart-line-message', { split: splitQuantity(ON_BACKORDER, 3), backInStockDate: SAMPLE_DATE, announces: false }),
    element('bo-cart-line-message', { split: splitQuantity(ON_BACKORDER, 12), announces: false }),
  );
  place('cart-line-heard', new BoSampleHeard());

  place('card', element('bo-card-badge', { status: 'backorder' }), element('bo-card-badge', { status: 'sold_out' }));

  const lines = [
    { name: 'Orbit Terrarium', options: [], quantity: 3, backordered: 3, overLimit: false, salable: 10, backInStockDate: SAMPLE_DATE },
    { name: 'Orbit Lamp', options: [], quantity: 12, backordered: 12, overLimit: true, salable: 10, backInStockDate: SAMPLE_DATE },
  ];
  place('checkout', element('bo-checkout-notice', { page: 'checkout', lines }), element('bo-checkout-notice', { page: 'order-confirmation', lines }));
  return mounted;
}

/**
 * Takes the samples' live regions away once they show their first words (which came with the page, unheard): every
 * key the merchant types changes a sample, and a live region would read each change back. They then show as the
 * messages that speak through the page's one live region do, with nothing to speak of: the cart lines carry no line
 * ids, and an add's outcome never changes here.
 */
export async function quietSamples(samples: Settable[]): Promise<void> {
  await Promise.all(samples.map((sample) => (sample as Settable & { updateComplete?: Promise<unknown> }).updateComplete));
  for (const sample of samples) {
    if (!('announces' in sample)) continue;
    const message = sample as Settable & { announces: boolean; requestUpdate(): void };
    message.announces = true;
    message.requestUpdate();
  }
}
