/**
 * Category, search, brand and home pages: badges on product cards. The product view components load
 * only when a quick view opens.
 */
import { startCardBadges } from '../lib/card-badges.ts';
import type { Boot } from '../lib/context.ts';
import { observe } from '../lib/dom.ts';
import { pageContextFrom, productSource } from '../lib/page-context.ts';

/** Called by the loader with its answer; returns a function that stops everything it started. */
export async function mount(boot: Boot): Promise<() => void> {
  const page = await pageContextFrom(boot);
  if (!page) return () => {};
  const ask = productSource(page);
  const stopBadges = startCardBadges(page, ask);
  const { quickView, view } = page.profile.product;
  const opened = `:is(${quickView}) :is(${view})`;
  let stopped = false;
  let stopViews = () => {};
  const check = () => {
    if (!document.querySelector(opened)) return;
    observer.disconnect();
    void import('./product.ts').then(({ startProductViews }) => {
      if (!stopped) stopViews = startProductViews(page, ask).stop;
    });
  };
  const observer = observe(document.body, check);
  check();
  return () => {
    stopped = true;
    observer.disconnect();
    stopBadges();
    stopViews();
  };
}
