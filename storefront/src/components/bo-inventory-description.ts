import type { PropertyDeclarations } from '@lit/reactive-element';
import type { ItemAvailability, StorefrontSettingsView } from '../contract/storefront-api.ts';
import { define } from '../lib/dom.ts';
import { BoMessageElement, etaSentence } from './shared.ts';

/**
 * The inventory description: what the chosen product or variant's stock is — in stock, out of stock but
 * available on backorder, or sold out — in the merchant's words.
 *
 * @fires bo-message - the shown text changed (`detail.text`)
 * @csspart message - the live region holding the text
 * @csspart date - the back-in-stock sentence
 * @cssprop --bo-message-color - text colour (inherits the theme's by default)
 * @cssprop --bo-message-font-size
 * @cssprop --bo-message-margin
 */
export class BoInventoryDescription extends BoMessageElement {
  static override properties: PropertyDeclarations = {
    item: { attribute: false },
    productId: { attribute: 'product-id', reflect: true },
    status: { reflect: true },
  };

  /** The item the shopper is looking at; nothing is shown without one. */
  item?: ItemAvailability;

  /** Set by a theme snippet (`{{product.id}}`) so the loader knows where the product's description goes. */
  productId?: string;

  /** The item's status, reflected for styling (`bo-inventory-description[status="backorder"]`). */
  status?: string;

  protected override willUpdate(): void {
    this.status = this.item?.status;
  }

  protected message(settings: StorefrontSettingsView) {
    const item = this.item;
    const texts = settings.inventoryDescription;
    if (!item || !texts.enabled) return { text: null };
    if (item.status === 'in_stock') return { text: this.fill(texts.inStockText, { onHand: item.onHand, salable: item.salable }) };
    const date = etaSentence(settings, item.backInStockDate);
    if (item.status === 'backorder') return { text: this.fill(texts.backorderText, { salable: item.salable }), date };
    return { text: this.fill(texts.soldOutText, {}), date };
  }
}

define('bo-inventory-description', BoInventoryDescription);

declare global {
  interface HTMLElementTagNameMap {
    'bo-inventory-description': BoInventoryDescription;
  }
}
