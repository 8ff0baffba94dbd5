/**
 * What the store's operations (catalog, inventory, orders) share: the state, its lookup indexes, the
 * clock, and the event sink. Indexes are rebuilt from the state, never persisted.
 */
import { BcError } from './api-error.ts';
import { createEvent, type SandboxEvent, type Scope } from './events.ts';
import type { Product, StoreState, Variant } from './model.ts';

const EVENT_LOG_LIMIT = 10_000;

export interface SkuOwner {
  productId: number;
  /** Undefined when the SKU is the product's own (for a simple product: its base variant's too). */
  variantId?: number;
}

export class StoreContext {
  readonly products = new Map<number, Product>();
  readonly variants = new Map<number, Variant>();
  /** Lower-cased SKU → owner: SKUs are unique across products and variants, whatever the case (ref §3.3). */
  readonly skus = new Map<string, SkuOwner>();
  readonly names = new Map<string, number>();
  /** Every event fired, newest last, bounded. */
  readonly events: SandboxEvent[] = [];

  constructor(
    readonly state: StoreState,
    private readonly sink: { event(event: SandboxEvent): void; changed(): void },
    readonly now: () => number = Date.now,
  ) {
    this.reindex();
  }

  reindex(): void {
    this.products.clear();
    this.variants.clear();
    this.skus.clear();
    this.names.clear();
    for (const product of this.state.products) this.indexProduct(product);
  }

  indexProduct(product: Product): void {
    this.products.set(product.id, product);
    this.names.set(product.name.toLowerCase(), product.id);
    if (product.sku) this.skus.set(product.sku.toLowerCase(), { productId: product.id });
    for (const variant of product.variants) this.indexVariant(product, variant);
  }

  indexVariant(product: Product, variant: Variant): void {
    this.variants.set(variant.id, variant);
    // A simple product's base variant shares the product's SKU.
    if (variant.sku && variant.option_values.length > 0) {
      this.skus.set(variant.sku.toLowerCase(), { productId: product.id, variantId: variant.id });
    }
  }

  unindexProduct(product: Product): void {
    this.products.delete(product.id);
    if (this.names.get(product.name.toLowerCase()) === product.id) this.names.delete(product.name.toLowerCase());
    if (product.sku) this.skus.delete(product.sku.toLowerCase());
    for (const variant of product.variants) this.unindexVariant(variant);
  }

  unindexVariant(variant: Variant): void {
    this.variants.delete(variant.id);
    const owner = this.skus.get(variant.sku.toLowerCase());
    if (owner?.variantId === variant.id) this.skus.delete(variant.sku.toLowerCase());
  }

  /** 409 when `sku` belongs to anything but `self` (ref §3.3: unique, case-insensitive, products and variants). */
  assertSkuFree(sku: string, self: SkuOwner | undefined): void {
    if (!sku) return;
    const owner = this.skus.get(sku.toLowerCase());
    if (!owner) return;
    const same = self && owner.productId === self.productId && owner.variantId === self.variantId;
    if (!same) {
      throw new BcError(409, 'The product was in conflict with another product: the SKU is already in use.', {
        errors: { sku: `Sku ${sku} is not unique.` },
      });
    }
  }

  product(id: number): Product {
    const product = this.products.get(id);
    if (!product) throw new BcError(404, 'The requested product was not found.');
    return product;
  }

  variantOf(product: Product, variantId: number): Variant {
    const variant = product.variants.find((v) => v.id === variantId);
    if (!variant) throw new BcError(404, 'The requested variant was not found.');
    return variant;
  }

  /** Fires an event: logged here, handed to the dispatcher (ref §6). */
  fire(scope: Scope, data: Record<string, unknown>): SandboxEvent {
    const event = createEvent(this.state, scope, data, this.now());
    this.events.push(event);
    if (this.events.length > EVENT_LOG_LIMIT) this.events.splice(0, this.events.length - EVENT_LOG_LIMIT);
    this.sink.event(event);
    return event;
  }

  /** Marks the state changed, for persistence. */
  changed(): void {
    this.sink.changed();
  }

  nextId(kind: keyof StoreState['next']): number {
    return this.state.next[kind]++;
  }
}

/** A product without options: one base variant, empty option values (ref §3.4). */
export function isSimple(product: Product): boolean {
  return product.options.length === 0;
}

/** The price a shopper pays before tax: the sale price when set (ref §3.3 `calculated_price`). */
export function calculatedPrice(product: Product, variant?: Variant): number {
  const price = variant?.price ?? product.price;
  const sale = variant?.sale_price ?? (product.sale_price > 0 ? product.sale_price : null);
  return sale !== null && sale > 0 && sale < price ? sale : price;
}
