/**
 * One product view (the product page or a quick view): finds its parts through the theme profile, places
 * the components (or uses those a theme snippet placed), and keeps them in step with the chosen variant
 * and quantity. Every lookup stays inside the view's root, because a quick view repeats the page's ids.
 */
import '../components/bo-add-to-cart-button.ts';
import '../components/bo-add-to-cart-message.ts';
import '../components/bo-inventory-description.ts';
import '../components/bo-quantity-message.ts';
import '../components/bo-shipping-description.ts';
import type { AddToCartOutcome, BoAddToCartMessage } from '../components/bo-add-to-cart-message.ts';
import type { BoAddToCartButton } from '../components/bo-add-to-cart-button.ts';
import type { BoInventoryDescription } from '../components/bo-inventory-description.ts';
import type { BoQuantityMessage } from '../components/bo-quantity-message.ts';
import type { BoShippingDescription } from '../components/bo-shipping-description.ts';
import { announce, MESSAGE_EVENT } from '../components/shared.ts';
import type { ItemAvailability, ProductAvailability } from '../contract/storefront-api.ts';
import { itemFor, splitQuantity, variantForSelections, variantsOf, type QuantitySplit } from './availability.ts';
import type { PageContext } from './context.ts';
import { placed, productIdOf, setHeld } from './dom.ts';
import { VIEW_MARKER } from './page-context.ts';
import { formSelections } from './variant.ts';

export class ProductView {
  readonly productId: string;
  readonly product: ProductAvailability;
  /** The catalog variant id, once known; null while the form chooses none. */
  variantId: string | null | undefined;
  quantity = 1;
  private readonly parts: {
    inventory?: BoInventoryDescription;
    quantity?: BoQuantityMessage;
    shipping?: BoShippingDescription;
    action?: BoAddToCartMessage;
    button: BoAddToCartButton;
  };
  private readonly listeners = new AbortController();
  /** The theme writes its stock label after its own option-change call, later than the change reaches us. */
  private readonly stockWatch = new MutationObserver(() => this.showOnHand());

  constructor(
    readonly root: Element,
    productId: string,
    private readonly page: PageContext,
    /** The page's own product view (not a quick view): it also owns buttons outside the view. */
    readonly isPageView: boolean,
    /** Units of an item already in the shopper's cart. */
    private readonly inCartOf: (item: ItemAvailability) => number = () => 0,
  ) {
    this.productId = productId;
    this.product = page.answer.products[productId]!;
    const { product: anchors } = page.profile;
    root.setAttribute(VIEW_MARKER, '');
    const button = document.createElement('bo-add-to-cart-button');
    root.append(button);
    this.parts = {
      inventory: placed(root, 'bo-inventory-description', anchors.inventoryDescription),
      quantity: placed(root, 'bo-quantity-message', anchors.quantityMessage),
      // Placed after the shipping description at the same anchor, so it ends up right under the button.
      shipping: placed(root, 'bo-shipping-description', anchors.shippingDescription),
      action: placed(root, 'bo-add-to-cart-message', anchors.addToCartMessage),
      button,
    };
    // A choice changes these together: their news is said as one (see `listen`), not by a live region each.
    for (const part of [this.parts.inventory, this.parts.quantity, this.parts.shipping]) if (part) part.announces = true;
    this.listen();
    this.readForm();
  }

  /** The product view roots on a page (or under `within`) that the profile recognises. */
  static rootsIn(within: ParentNode, page: PageContext): Element[] {
    const { view, notWithin } = page.profile.product;
    return Array.from(within.querySelectorAll(view)).filter((root) => !root.closest(notWithin) && !root.parentElement?.closest(view));
  }

  /** The product id a view root is for. */
  static productIdOf(root: Element, page: PageContext): string | undefined {
    return productIdOf(root.querySelector(page.profile.product.productId)) ?? productIdOf(root);
  }

  get form(): HTMLFormElement | null {
    return this.root.querySelector<HTMLFormElement>(this.page.profile.product.form);
  }

  /** The containers of the view's wallet ("buy now") buttons. */
  private get wallets() {
    return this.root.querySelectorAll<HTMLElement>(this.page.profile.product.walletButtons);
  }

  get item() {
    return itemFor(this.product, this.variantId);
  }

  /** How the chosen quantity splits now, after the units already in the cart; undefined while the variant is not known. */
  get split(): QuantitySplit | undefined {
    const item = this.item;
    return item ? splitQuantity(item, this.quantity, this.inCartOf(item)) : undefined;
  }

  /** Reads the selections and quantity from the form and updates every part. */
  readForm(): void {
    // Back to "Choose Options" clears the variant: the parts empty and the theme's button comes back.
    const fromSelections = variantForSelections(this.product, formSelections(this.form));
    if (fromSelections !== undefined) this.variantId = fromSelections;
    const input = this.root.querySelector<HTMLInputElement>(this.page.profile.product.quantity);
    const quantity = Number.parseInt(input?.value ?? '', 10);
    this.quantity = Number.isFinite(quantity) && quantity > 0 ? quantity : 1;
    this.update();
  }

  /** A variant the theme reported (option-change response). */
  setVariant(variantId: string): void {
    if (variantsOf(this.product)?.[variantId]) {
      this.variantId = variantId;
      this.update();
    }
  }

  /** Shows an add-to-cart outcome under the button. */
  showOutcome(outcome: AddToCartOutcome | undefined): void {
    if (this.parts.action) this.parts.action.outcome = outcome;
  }

  update(): void {
    const { settings, profile } = this.page;
    const item = this.item;
    const split = this.split;
    for (const part of [this.parts.inventory, this.parts.quantity, this.parts.shipping]) {
      if (!part) continue;
      part.settings = settings;
      part.item = item;
    }
    for (const part of [this.parts.quantity, this.parts.shipping]) {
      if (!part) continue;
      part.quantity = this.quantity;
      part.inCart = split?.inCart ?? 0;
    }
    if (this.parts.action) {
      this.parts.action.settings = settings;
      // A new choice makes an earlier outcome stale.
      if (this.parts.action.outcome?.split.quantity !== this.quantity) this.parts.action.outcome = undefined;
    }
    const button = this.parts.button;
    button.settings = settings;
    button.item = item;
    button.labelSelector = profile.product.buttonLabel;
    button.held = !!split?.overLimit;
    const buttons = [...this.root.querySelectorAll<HTMLElement>(profile.product.addToCart)];
    if (this.isPageView && profile.product.pageButtons) buttons.push(...document.querySelectorAll<HTMLElement>(profile.product.pageButtons));
    if (buttons.length !== button.buttons.length || buttons.some((b, i) => b !== button.buttons[i])) button.buttons = buttons;
    // Wallet buttons pay without submitting the form: their container is held whole, and takes the clicks itself.
    for (const wallets of this.wallets) setHeld(wallets, !!split?.overLimit, true, true);
    this.showOnHand();
  }

  /**
   * The theme's "N in stock" shows BigCommerce's level, which for an item held strictly is the salable
   * quantity, not what is on hand. Wherever the theme shows a number (the store's stock display setting
   * says where; an item BigCommerce does not track has none), it reads the units on hand instead, or
   * nothing while they are withheld. Writing the text it already has changes nothing, which ends the round.
   */
  private showOnHand(): void {
    const label = this.root.querySelector(this.page.profile.product.stockLevel);
    if (!label) return;
    this.stockWatch.observe(label, { childList: true, characterData: true, subtree: true });
    const onHand = String(this.item?.onHand ?? '');
    if (label.textContent!.trim() && label.textContent !== onHand) label.textContent = onHand;
  }

  private listen(): void {
    const { signal } = this.listeners;
    const { quantity, quantityButtons, options } = this.page.profile.product;
    const later = () => setTimeout(() => this.readForm(), 0);
    const onChange = (event: Event) => {
      const target = event.target as Element;
      if (target.closest(options) || target.matches(quantity)) this.readForm();
    };
    this.root.addEventListener('change', onChange, { signal });
    this.root.addEventListener('input', onChange, { signal });
    // +/- buttons set the value from script, which fires no input event: read it after the theme's handler.
    this.root.addEventListener('click', (event) => (event.target as Element).closest(quantityButtons) && later(), { signal });
    this.root.addEventListener('keyup', (event) => (event.target as Element).matches(quantity) && later(), { signal });
    // A new variant or quantity changes the availability, quantity and shipping messages at once: in a live region
    // each, a screen reader reads them in a jumble or drops some. What each now says is said in one announcement, in
    // the order they update (availability, quantity, shipping); one now empty takes back what it had not said yet.
    // The add-to-cart message speaks for itself. What they say first (Lit's first updates, done before the next
    // task) is read with the page.
    let heard = false;
    setTimeout(() => (heard = true));
    this.root.addEventListener(
      MESSAGE_EVENT,
      (event) => {
        const { text } = (event as CustomEvent<{ text: string }>).detail;
        if (heard && event.target !== this.parts.action) announce(text, event.target);
      },
      { signal },
    );
  }

  /** Stops listening and removes what this view placed (not what a snippet placed). */
  disconnect(): void {
    this.listeners.abort();
    this.stockWatch.disconnect();
    this.parts.button.remove();
    for (const wallets of this.wallets) setHeld(wallets, false, true, true);
    for (const part of [this.parts.inventory, this.parts.quantity, this.parts.shipping, this.parts.action]) {
      if (part?.dataset['boMounted'] !== undefined) part.remove();
    }
  }
}
