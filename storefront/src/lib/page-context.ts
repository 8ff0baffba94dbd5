/** Turns the loader's boot data into what page controllers use, and asks for products found later. */
import { profileFor } from '../theme-profiles/index.ts';
import { MAX_PRODUCTS_PER_REQUEST } from '../contract/storefront-api.ts';
import type { Boot, PageContext } from './context.ts';
import { hideWithin } from './dom.ts';

/** Marks a product view root the app handles; the theme's own backorder texts inside it are hidden. */
export const VIEW_MARKER = 'data-bo-view';

/** The page context, or undefined when the store shows nothing (unknown, or messages off). */
export async function pageContextFrom(boot: Boot): Promise<PageContext | undefined> {
  const settings = boot.answer.settings;
  if (!settings) return undefined;
  const profile = await profileFor(settings);
  hideWithin(VIEW_MARKER, profile.product.nativeBackorder);
  return { ...boot, settings, profile };
}

/**
 * Products that appear after the first answer (filtered listings, a quick view of a product the page did
 * not show, the cards past the first answer's 100) are asked for in one batched request per 100 ids; an id
 * that was answered is never asked twice, one the API did not answer is asked again when next looked for.
 */
export function productSource(page: PageContext): (ids: Iterable<string>) => Promise<boolean> {
  const asked = new Set(page.asked.map(String));
  let batch: string[] = [];
  let pending: Promise<boolean> | undefined;
  return (ids) => {
    for (const id of ids) {
      if (asked.has(id)) continue;
      asked.add(id);
      batch.push(id);
    }
    if (batch.length === 0) return pending ?? Promise.resolve(false);
    pending ??= new Promise<boolean>((resolve) => setTimeout(resolve, 50)).then(async () => {
      const wanted = batch;
      batch = [];
      pending = undefined;
      const chunks = Array.from({ length: Math.ceil(wanted.length / MAX_PRODUCTS_PER_REQUEST) }, (_, i) =>
        wanted.slice(i * MAX_PRODUCTS_PER_REQUEST, (i + 1) * MAX_PRODUCTS_PER_REQUEST),
      );
      const answers = await Promise.all(
        chunks.map(async (chunk) => {
          const more = await page.fetchAvailability(page.context, chunk);
          if (!more) for (const id of chunk) asked.delete(id);
          return more?.products ?? {};
        }),
      );
      for (const products of answers) Object.assign(page.answer.products, products);
      return answers.some((products) => Object.keys(products).length > 0);
    });
    return pending;
  };
}
