/**
 * The header's cart preview and the modal an add to cart opens, loaded on the first click that opens the
 * preview or the first add: it reads the cart and asks the storefront API only for cart products the page's
 * answer did not cover — before it starts when the page has no answer with the store's settings, else while
 * the lines the page knows already show.
 */
import { startCartPreview } from '../lib/cart-preview.ts';
import type { Boot, CartLine } from '../lib/context.ts';
import { pageContextFrom, productSource } from '../lib/page-context.ts';
import { fetchCartLines } from '../lib/storefront-cart.ts';

/** Called by the loader with the page's answer (possibly empty); resolves to a function that stops watching. */
export async function mount(boot: Boot): Promise<() => void> {
  let prefetched: CartLine[] | undefined = await fetchCartLines();
  const asked = new Set(boot.asked);
  const wanted = [...new Set(prefetched.map((line) => line.productId))].filter((id) => !asked.has(id));
  let answer = boot.answer;
  const more = wanted.length && !answer.settings ? await boot.fetchAvailability(boot.context, wanted) : undefined;
  if (more) {
    answer = { ...more, settings: more.settings ?? answer.settings, products: { ...answer.products, ...more.products } };
    for (const id of wanted) asked.add(id);
  }
  const page = await pageContextFrom({ ...boot, answer, asked: [...asked] });
  if (!page) return () => {};
  const readLines = async () => {
    const lines = prefetched ?? (await fetchCartLines());
    prefetched = undefined;
    return lines;
  };
  return startCartPreview(page, productSource(page), readLines);
}
