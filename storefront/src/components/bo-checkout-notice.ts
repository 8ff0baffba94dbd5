import { unsafeCSS, type CSSResultGroup, type PropertyDeclarations } from '@lit/reactive-element';
import type { StorefrontSettingsView } from '../contract/storefront-api.ts';
import { define } from '../lib/dom.ts';
import { lineName } from '../lib/line-name.ts';
import { part } from './shadow-content.ts';
import { BoMessageElement, etaSentence, messageStyles } from './shared.ts';

/** One line of the checkout or order. */
export interface NoticeLine {
  name: string;
  /** The values of the options the shopper chose (checkout-sdk's `options[].value`): two variants of one product are told apart by them. */
  options: string[];
  quantity: number;
  /** Units of the line beyond stock; null when numbers are withheld. */
  backordered: number | null;
  /** The line asks for more than can be ordered: its units beyond `salable` are over the limit, not backordered. */
  overLimit: boolean;
  /** The most units of the line that can be ordered (after earlier lines of the item); null when unlimited or withheld. */
  salable: number | null;
  backInStockDate: string | null;
}

/** A line as the notice shows it. */
interface ShownLine {
  text: string;
  date: string | null;
}

/**
 * The checkout and order-confirmation notice: the items asking for more than can be ordered, with how many
 * can be (under `overLimitHeading`, in the words of `overLimitLineText`, never "backordered": the cart line's
 * message says "Only N can be ordered" of the same line); then the items that will be (or were) backordered,
 * how many of each, and when they are expected back in stock.
 *
 * @fires bo-message - the shown text changed (`detail.text`)
 * @csspart notice - the whole notice (a live region, unless it `announces`)
 * @csspart heading - one per group
 * @csspart lines - a group's list
 * @csspart line - one item
 * @csspart date - an item's back-in-stock sentence
 * @cssprop --bo-notice-border - e.g. `1px solid #8a4b00`
 * @cssprop --bo-notice-padding
 */
export class BoCheckoutNotice extends BoMessageElement {
  static override properties: PropertyDeclarations = {
    lines: { attribute: false },
    page: {},
  };

  static override styles: CSSResultGroup = [
    messageStyles,
    // Minified, through unsafeCSS rather than Lit's css tag: see messageStyles (shared.ts).
    unsafeCSS(
      `[part=notice]:not(:empty){margin:var(--bo-message-margin,1em 0);padding:var(--bo-notice-padding,.75em 1em);border:var(--bo-notice-border,1px solid currentColor);border-radius:.25em}[part=heading]{margin:0 0 .25em;font-weight:700}[part=lines]{margin:0;padding-left:1.25em}`,
    ),
  ];

  lines: NoticeLine[] = [];

  /** Which page it is on: the heading differs. */
  page: 'checkout' | 'order-confirmation' = 'checkout';

  /** The lines as shown, in their two groups: those asking for more than can be ordered, and those backordered. */
  private shownLines(settings: StorefrontSettingsView): { overLimit: ShownLine[]; backordered: ShownLine[] } {
    const texts = settings.checkoutNotice;
    const groups = { overLimit: [] as ShownLine[], backordered: [] as ShownLine[] };
    for (const line of this.lines) {
      const { quantity, backordered, overLimit, salable, backInStockDate } = line;
      // `{name}` with the options: the merchant's texts as they are, with no placeholder of their own for options.
      const name = lineName(line.name, line.options);
      if (overLimit) {
        const text = this.fill(texts.overLimitLineText, { name, quantity, salable });
        if (text) groups.overLimit.push({ text, date: null });
      } else if (backordered) {
        const text = this.fill(texts.lineText, { name, quantity, backordered });
        if (text) groups.backordered.push({ text, date: etaSentence(settings, backInStockDate) });
      }
    }
    return groups;
  }

  protected message() {
    return { text: null };
  }

  protected override content(): Node[] {
    const settings = this.settings;
    const lines = settings?.checkoutNotice.enabled ? this.shownLines(settings) : { overLimit: [], backordered: [] };
    // Each kind of line under its own heading: a heading about backorders would misname a line over the limit,
    // which the shopper must lower (so that group comes first).
    const texts = settings?.checkoutNotice;
    return [
      part(
        'div',
        // A live region of its own, as messages that do not speak through the page's one (`announces`) are.
        this.announces ? { part: 'notice message' } : { part: 'notice message', role: 'status', 'aria-live': 'polite' },
        ...group(texts?.overLimitHeading, lines.overLimit),
        ...group(texts?.[this.page === 'checkout' ? 'checkoutHeading' : 'confirmationHeading'], lines.backordered),
      ),
    ];
  }
}

/** A heading and the list under it; nothing without lines. */
function group(heading: string | undefined, lines: ShownLine[]): (Node | string)[] {
  if (!lines.length) return [];
  // Spaces between the parts, so that the notice's text reads as words (to a screen reader, a test).
  return [
    part('p', { part: 'heading' }, heading),
    ' ',
    part(
      'ul',
      { part: 'lines' },
      ...lines.flatMap((line) => [' ', part('li', { part: 'line' }, line.text, line.date && ' ', line.date && part('span', { part: 'date' }, line.date))]),
      ' ',
    ),
    ' ',
  ];
}

define('bo-checkout-notice', BoCheckoutNotice);

declare global {
  interface HTMLElementTagNameMap {
    'bo-checkout-notice': BoCheckoutNotice;
  }
}
