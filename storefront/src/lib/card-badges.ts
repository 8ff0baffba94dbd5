/**
 * Backorder badges on product cards, kept up as listings re-render (faceted search, infinite scroll):
 * cards of products the first answer did not cover are asked for in one batch.
 */
import '../components/bo-card-badge.ts';
import { productStatus } from './availability.ts';
import type { PageContext } from './context.ts';
import { observe, placed } from './dom.ts';

/** The product id a card carries, on itself or its first descendant with one of the attributes. */
export function cardProductId(card: Element, attributes: string[]): string | undefined {
  for (const attribute of attributes) {
    const value = card.getAttribute(attribute) ?? card.querySelector(`[${attribute}]`)?.getAttribute(attribute);
    if (value && /^\d+$/.test(value)) return value;
  }
  return undefined;
}

/** Places and updates the badges; returns a function that stops watching. */
export function startCardBadges(page: PageContext, ask: (ids: Iterable<string>) => Promise<boolean>): () => void {
  const { listing } = page.profile;
  const apply = () => {
    const missing: string[] = [];
    for (const card of document.querySelectorAll(listing.card)) {
      const id = cardProductId(card, listing.cardProductId);
      if (!id) continue;
      const availability = page.answer.products[id];
      if (!availability) {
        missing.push(id);
        continue;
      }
      const status = productStatus(availability);
      const existing = card.querySelector('bo-card-badge');
      if (!existing && status === 'in_stock') continue;
      const badge = existing ?? placed(card, 'bo-card-badge', listing.badge);
      if (!badge) continue;
      badge.settings = page.settings;
      badge.status = status;
    }
    if (missing.length) void ask(missing).then((found) => found && apply());
  };
  apply();
  const observer = observe(document.body, apply);
  return () => observer.disconnect();
}
