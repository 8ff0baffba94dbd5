/** The cart page: a message per cart line, kept through the theme's re-renders. */
import { startCartPage } from '../lib/cart-page.ts';
import type { Boot } from '../lib/context.ts';
import { pageContextFrom, productSource } from '../lib/page-context.ts';

/** Called by the loader with its answer and the cart's lines; returns a function that stops watching. */
export async function mount(boot: Boot): Promise<() => void> {
  const page = await pageContextFrom(boot);
  if (!page) return () => {};
  return startCartPage(page, boot.cartLines ?? [], productSource(page));
}
