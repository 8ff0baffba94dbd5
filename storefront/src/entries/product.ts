/** The product page: its product view, quick views, and the badges on related product cards. */
import { startCardBadges } from '../lib/card-badges.ts';
import type { Boot } from '../lib/context.ts';
import { pageContextFrom, productSource } from '../lib/page-context.ts';
import { startProductViews } from '../lib/product-page.ts';

// Listing pages import this entry for their quick views, so the product code lives in one file.
export { startProductViews };

/** Called by the loader with its answer; returns a function that stops everything it started. */
export async function mount(boot: Boot): Promise<() => void> {
  const page = await pageContextFrom(boot);
  if (!page) return () => {};
  const ask = productSource(page);
  const views = startProductViews(page, ask);
  const stopBadges = startCardBadges(page, ask);
  return () => (views.stop(), stopBadges());
}
