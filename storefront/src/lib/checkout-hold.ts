/** The checkout hold's placing, shared by the cart page and the header's cart preview. */
import '../components/bo-checkout-hold.ts';
import type { BoCheckoutHold } from '../components/bo-checkout-hold.ts';
import { checkoutButtonsFor, type CheckoutButtonsProfile } from '../theme-profiles/checkout-buttons.ts';
import type { Anchor } from '../contract/theme-profiles/types.ts';
import type { SplitLine } from './cart-lines.ts';
import type { PageContext } from './context.ts';
import type { LineOption } from './line-name.ts';
import { insertAt } from './dom.ts';

/**
 * Places (or finds) the surface's hold inside `root` next to the checkout buttons, and hands it the cart's split
 * lines and the buttons it finds there now (the theme may have rendered new ones).
 */
export function holdCheckout(
  root: ParentNode,
  page: PageContext,
  surface: keyof CheckoutButtonsProfile,
  lines: Array<SplitLine<{ id: string; name?: string | undefined; options?: LineOption[] | undefined; productId: string | number; quantity: number }>>,
  fallback: Anchor[] = [],
): void {
  const where = checkoutButtonsFor(page.profile.name)[surface];
  // Found by surface, not by tag: the cart page also shows the header's preview, which has its own hold.
  let hold = root.querySelector<BoCheckoutHold>(`bo-checkout-hold[surface="${surface}"]`);
  if (!hold) {
    hold = document.createElement('bo-checkout-hold');
    hold.surface = surface;
    hold.dataset['boMounted'] = '';
    if (!insertAt(root, [...where.reason, ...fallback], hold)) return;
  }
  hold.settings = page.settings;
  hold.lines = lines.map(({ line, split }) => ({ id: line.id, name: line.name, options: line.options?.map((option) => option.value), split }));
  hold.buttons = [...root.querySelectorAll<HTMLElement>(where.buttons)];
}
