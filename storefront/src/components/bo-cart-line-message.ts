import type { PropertyDeclarations, PropertyValues } from '@lit/reactive-element';
import type { StorefrontSettingsView } from '../contract/storefront-api.ts';
import type { QuantitySplit } from '../lib/availability.ts';
import { define } from '../lib/dom.ts';
import { announce, BoMessageElement, etaSentence, splitState, splitValues } from './shared.ts';

/**
 * What a cart line asking for more than can be ordered says: the over-limit text, or the sold-out text
 * when the item is sold out ("Sold out" says it better than "Only 0 can be ordered"). An item whose room
 * earlier lines used up is not sold out: the shopper lowers one of its lines. Null for a line within the limit.
 */
export function overLimitText(settings: StorefrontSettingsView, split: QuantitySplit, fill: BoMessageElement['fill']): string | null {
  if (!split.overLimit) return null;
  return fill(split.soldOut ? settings.inventoryDescription.soldOutText : settings.cartMessage.overLimitText, splitValues(split));
}

/**
 * What a cart line is heard saying, never shown, when a change leaves all of it shipping from stock: the in-stock
 * text. Its message goes quiet then, which alone tells a screen reader nothing (nor that a hold on checkout it
 * caused is lifted). Null for a line with units beyond stock, or whose numbers are withheld.
 */
export function withinStockText(settings: StorefrontSettingsView, split: QuantitySplit | undefined, fill: BoMessageElement['fill']): string | null {
  if (!split || split.overLimit || split.backordered !== 0 || !settings.cartMessage.enabled) return null;
  return fill(settings.cartMessage.inStockText, splitValues(split));
}

/** What each cart line said last, by line item id, whichever element (re-rendered row, cart preview) said it. */
const said = new Map<string, string>();

/**
 * Says what a cart line says now, when it changed since `memory` last had it, through the page's one live region
 * with the line as the speaker: its message and a checkout hold both speak of a line's change, and what they say
 * of the same change is said once. A line's first words are read with the page; what it says after a change is news.
 * A line that said something and goes quiet says `quiet` instead, when given (see `withinStockText`).
 */
export function tellLine(memory: Map<string, string>, id: string, text: string, quiet?: string): void {
  const before = memory.get(id);
  memory.set(id, text);
  const news = text || (before && quiet);
  if (before !== undefined && news && text !== before) announce(news, id);
}

/**
 * A cart line's message on the cart page and in the cart previews: how many of the line's units will be
 * backordered (with the back-in-stock date when shown), or that the line asks for more than can be ordered
 * (the sold-out text when the item is sold out). A line changed to ship all from stock shows nothing, and is heard
 * saying so (`withinStockText`) when it said one of those before.
 * A theme snippet may place it in the cart row with the line's ids, which then spares a cart lookup.
 *
 * @fires bo-message - the shown text changed (`detail.text`)
 * @csspart message - the text (a change is announced through the page's one live region, see `announce`)
 * @csspart date - the back-in-stock sentence
 * @cssprop --bo-message-color
 * @cssprop --bo-message-font-size - e.g. smaller in the cart preview
 */
export class BoCartLineMessage extends BoMessageElement {
  static override properties: PropertyDeclarations = {
    split: { attribute: false },
    backInStockDate: { attribute: false },
    itemId: { attribute: 'item-id', reflect: true },
    lineName: { attribute: false },
    productId: { attribute: 'product-id', reflect: true },
    variantId: { attribute: 'variant-id', reflect: true },
    state: { reflect: true },
  };

  /** The line's quantity split against the item's stock (after earlier lines of the same item). */
  split?: QuantitySplit;

  /** The item's back-in-stock date (`YYYY-MM-DD`). */
  backInStockDate: string | null = null;

  /** The cart line item id (`{{id}}` in a snippet). */
  itemId?: string;

  /**
   * The line as the shopper chose it, "Linen T-Shirt (L)" (`lineName`): a change is announced away from the row, so it
   * says which line it is about, or two sizes of one product in the cart would read alike.
   */
  lineName?: string | undefined;

  productId?: string;

  variantId?: string;

  /** Reflects `over-limit` / `backordered` for styling. */
  state?: 'over-limit' | 'backordered';

  // The theme re-renders a row as new elements after every change: the page's region says what changed.
  override announces = true;

  protected override willUpdate(): void {
    this.state = splitState(this.split);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (!this.itemId || !this.settings || !this.announces) return;
    const named = (text: string | null) => (text && this.lineName ? `${this.lineName}: ${text}` : (text ?? ''));
    tellLine(said, this.itemId, named(this.shown), named(withinStockText(this.settings, this.split, (template, values) => this.fill(template, values))));
  }

  protected message(settings: StorefrontSettingsView) {
    const split = this.split;
    const texts = settings.cartMessage;
    if (!split || !texts.enabled) return { text: null };
    if (split.overLimit) return { text: overLimitText(settings, split, (template, values) => this.fill(template, values)) };
    if (!split.backordered) return { text: null };
    return { text: this.fill(texts.backorderedText, splitValues(split)), date: etaSentence(settings, this.backInStockDate) };
  }
}

define('bo-cart-line-message', BoCartLineMessage);

declare global {
  interface HTMLElementTagNameMap {
    'bo-cart-line-message': BoCartLineMessage;
  }
}
