/**
 * What the message components share: their base styles, the live-region text, the back-in-stock date
 * sentence and the `bo-message` event. The components are Lit's ReactiveElement (properties, attributes,
 * styles, batched updates) without lit-html's templates: what they show is a few parts of text, written
 * into the shadow root by `showIn` (`shadow-content.ts`), which costs shoppers far fewer bytes.
 */
import { ReactiveElement, unsafeCSS, type CSSResultGroup, type PropertyValues, type PropertyDeclarations } from '@lit/reactive-element';
import type { StorefrontSettingsView } from '../contract/storefront-api.ts';
import type { QuantitySplit } from '../lib/availability.ts';
import { fillText, formatDate, resolveLocale } from '../lib/text.ts';
import { part, showIn } from './shadow-content.ts';

/** Fired (bubbling, composed) when the text a message shows changes; `detail.text` is empty when it hides. */
export const MESSAGE_EVENT = 'bo-message';

/**
 * The messages' base styles. Style sheets are written minified and wrapped by `unsafeCSS` (they are constants,
 * never shop input), not Lit's `css` tag: the tag and its error text would ride in every page's bundle.
 */
export const messageStyles = unsafeCSS(
  `:host{display:block;color:var(--bo-message-color,inherit);font-size:var(--bo-message-font-size,inherit)}:host([hidden]){display:none}[part~=message]:not(:empty){margin:var(--bo-message-margin,.5em 0)}[part~=date]{color:var(--bo-date-color,inherit)}`,
);

/** A split's numbers as text values (`{quantity}`, `{backordered}`, `{onHand}`, `{salable}`). */
export function splitValues(split: QuantitySplit) {
  return { quantity: split.quantity, backordered: split.backordered, onHand: split.onHand, salable: split.salable, inCart: split.inCart };
}

/** The state a quantity message reflects: more than can be ordered, or some units backordered. */
export function splitState(split: QuantitySplit | undefined): 'over-limit' | 'backordered' | undefined {
  return split?.overLimit ? 'over-limit' : split?.backordered ? 'backordered' : undefined;
}

/** The back-in-stock sentence (`backInStockDate.text`), when the store shows dates and one is known. */
export function etaSentence(settings: StorefrontSettingsView, date: string | null | undefined): string | null {
  if (!settings.backInStockDate.show) return null;
  const locale = resolveLocale(settings.locale);
  const formatted = formatDate(date, locale, settings.backInStockDate.dateStyle);
  return formatted ? fillText(settings.backInStockDate.text, { date: formatted }, locale) : null;
}

let announcer: HTMLElement | undefined;
/** What is to be said next, by speaker (a cart line, a message element): its newest text only. */
const unsaid = new Map<unknown, string>();

/**
 * Says `text` through the page's one polite live region, appended to the body once and kept: only its text
 * changes, which is what screen readers announce. It is emptied, then filled a moment later, so a region
 * just added is heard, and so is the same text said again; what others say meanwhile is said with it, and
 * what the same speaker says meanwhile in place of its earlier text (nothing, for an empty one).
 */
export function announce(text: string, speaker: unknown): void {
  if (!announcer?.isConnected) {
    announcer = document.body.appendChild(part('div', { role: 'status', 'aria-live': 'polite', 'data-bo-announcer': '' }));
    // Read, not seen (clipped away; fixed, so it takes no room and never widens the page), set through the
    // CSSOM, which a Content Security Policy against inline styles allows.
    announcer.style.cssText = 'position:fixed;clip-path:inset(50%)';
  }
  const idle = unsaid.size === 0;
  unsaid.set(speaker, text);
  if (!idle) return;
  announcer.textContent = '';
  setTimeout(() => {
    announcer!.textContent = [...unsaid.values()].filter(Boolean).join(' ');
    unsaid.clear();
  }, 100);
}

/**
 * A message whose every change screen readers announce: it is shown in a polite live region that is always in
 * the page or, when it `announces`, said through the page's one (`announce`). It is empty (and takes no
 * space) when there is nothing to say.
 */
export abstract class BoMessageElement extends ReactiveElement {
  static override properties: PropertyDeclarations = {
    settings: { attribute: false },
  };

  static override styles: CSSResultGroup = messageStyles;

  /** The store's storefront settings, from the storefront API. */
  settings?: StorefrontSettingsView;

  /** The text shown, after the last update. */
  protected shown = '';

  /**
   * Whether it says its news through `announce` rather than its own live region: on for a message that is placed
   * anew each time (a cart row the theme re-renders, the window an add opens), whose own region would be born
   * with its text, unheard. The admin's preview turns it on for its samples once they have rendered
   * (`quietSamples`): with nothing to announce, they then have no live region at all, and typing is not read back.
   */
  announces = false;

  /** The message and the date sentence after it; null parts are not shown. */
  protected abstract message(settings: StorefrontSettingsView): { text: string | null; date?: string | null };

  protected get locale(): string | undefined {
    return resolveLocale(this.settings?.locale ?? '');
  }

  protected fill(template: string, values: Parameters<typeof fillText>[1]): string | null {
    return fillText(template, values, this.locale);
  }

  /** What the shadow root shows: the live region (unless it announces) with the message and its date sentence. */
  protected content(): Node[] {
    const { text, date } = this.settings ? this.message(this.settings) : { text: null };
    const main = text ?? '';
    const eta = text && date ? date : '';
    const region: Record<string, string> = this.announces ? { part: 'message' } : { part: 'message', role: 'status', 'aria-live': 'polite' };
    return [part('p', region, main, eta && ' ', eta && part('span', { part: 'date' }, eta))];
  }

  protected override update(changed: PropertyValues): void {
    super.update(changed);
    showIn(this.renderRoot, this.content());
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const text = this.renderRoot.querySelector('[part~="message"]')?.textContent?.trim() ?? '';
    this.toggleAttribute('data-empty', text === '');
    if (text !== this.shown) {
      this.shown = text;
      this.dispatchEvent(new CustomEvent(MESSAGE_EVENT, { bubbles: true, composed: true, detail: { text } }));
    }
  }
}
