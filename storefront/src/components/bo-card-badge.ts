import { ReactiveElement, unsafeCSS, type PropertyValues, type PropertyDeclarations } from '@lit/reactive-element';
import type { ItemStatus, StorefrontSettingsView } from '../contract/storefront-api.ts';
import { meetsAA } from '../contract/contrast.ts';
import { define } from '../lib/dom.ts';
import { warnColours } from './colours.ts';
import { part, showIn } from './shadow-content.ts';

/**
 * The backorder badge on a product card (category, search, brand pages): "Backorder" when nothing is on
 * hand but the product can be ordered, "Sold out" when nothing can be. The text carries the meaning;
 * the colours only decorate it, and are used only when they meet WCAG AA contrast.
 *
 * @fires bo-colours-refused - the merchant's colours fail WCAG AA and were not used (`detail.ratio`)
 * @csspart badge - the badge
 * @cssprop --bo-badge-background - overrides the store's badge colour
 * @cssprop --bo-badge-color - overrides the store's badge text colour
 * @cssprop --bo-badge-font-size
 * @cssprop --bo-badge-margin - space around the badge (0.25em 0)
 */
export class BoCardBadge extends ReactiveElement {
  static override properties: PropertyDeclarations = {
    settings: { attribute: false },
    status: { reflect: true },
    productId: { attribute: 'product-id', reflect: true },
  };

  // Minified, through unsafeCSS rather than Lit's css tag: see messageStyles (shared.ts).
  static override styles = unsafeCSS(
    `:host{display:block}:host([hidden]){display:none}[part=badge]{display:inline-block;margin:var(--bo-badge-margin,.25em 0);padding:.15em .6em;border:1px solid currentColor;border-radius:.25em;font-size:var(--bo-badge-font-size,.8em);font-weight:600;background:var(--bo-badge-background,var(--bo-store-badge-background,transparent));color:var(--bo-badge-color,var(--bo-store-badge-color,inherit))}`,
  );

  settings?: StorefrontSettingsView;

  /** The product's status on the storefront (any variant in stock counts as in stock). */
  status?: ItemStatus;

  /** Set by the card snippet (`{{id}}`). */
  productId?: string;

  private text(): string {
    const badge = this.settings?.badge;
    if (!badge?.enabled) return '';
    return this.status === 'backorder' ? badge.backorderText : this.status === 'sold_out' ? badge.soldOutText : '';
  }

  protected override update(changed: PropertyValues): void {
    super.update(changed);
    const text = this.text();
    showIn(this.renderRoot, text ? [part('span', { part: 'badge' }, text)] : []);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.toggleAttribute('data-empty', !this.text());
    const badge = this.settings?.badge;
    const usable = !!badge?.backgroundColor && !!badge.textColor && meetsAA(badge.textColor, badge.backgroundColor);
    if (badge && badge.backgroundColor && badge.textColor && !usable) warnColours(this, 'badge', badge.textColor, badge.backgroundColor);
    this.style.setProperty('--bo-store-badge-background', usable ? badge!.backgroundColor : null);
    this.style.setProperty('--bo-store-badge-color', usable ? badge!.textColor : null);
  }
}

define('bo-card-badge', BoCardBadge);

declare global {
  interface HTMLElementTagNameMap {
    'bo-card-badge': BoCardBadge;
  }
}
