/**
 * The in-process control surface of one sandbox store — what the merchant's control panel, a shopper's
 * checkout and a test would do. Every change goes through the same model as the API, so it fires the
 * same events. Reads return BigCommerce's shapes (v3 products, v2 orders).
 */
import { productView, variantView } from './catalog-views.ts';
import { createProduct, createVariant, deleteProduct, deleteVariant, updateProduct, updateVariant, type ProductInput, type VariantInput } from './catalog.ts';
import type { SandboxCore } from './core.ts';
import type { SandboxEvent } from './events.ts';
import { generateCatalog, type GenerateOptions, type GenerateResult } from './generate.ts';
import { inventorySettingsPatch } from './inventory-settings.ts';
import { availableFor, checkLevel, writeProductLevel, writeVariantLevel } from './inventory.ts';
import type { InventorySettings, InventoryTracking } from './model.ts';
import { orderLineView, orderView } from './order-views.ts';
import { archiveOrder, editOrderQuantities, findOrder, placeOrder, refundOrder, setStatus, type LineQuantity, type PlaceOrderInput } from './orders.ts';
import type { StoreContext } from './store-context.ts';
import { hookView, scriptView, timezoneView } from './store-views.ts';
import { validateSwitches, type Switches } from './switches.ts';
import type { Delivery } from './webhooks.ts';

type View = Record<string, unknown>;

/** Whether a shopper can buy a product (variant) now, as a storefront decides (ref §8.4, inferred). */
export interface Purchasability {
  purchasable: boolean;
  inStock: boolean;
  /** Units left, or null when untracked. */
  stock: number | null;
  message: string | null;
}

export class SandboxStore {
  constructor(
    private readonly core: SandboxCore,
    /** The model, for code that needs more than this surface (a storefront). */
    readonly context: StoreContext,
  ) {}

  get storeHash(): string {
    return this.context.state.hash;
  }

  get storeId(): string {
    return this.context.state.id;
  }

  get name(): string {
    return this.context.state.name;
  }

  /** The store's demo storefront (`http://host:port`, its own origin). */
  get storefrontUrl(): string {
    return this.core.storefrontUrl(this.storeHash);
  }

  private get apiBase(): string {
    return `${this.core.url}/stores/${this.storeHash}`;
  }

  /** A product as `GET /v3/catalog/products/{id}?include=variants` shows it. */
  product(productId: number): View {
    return productView(this.context.product(productId), { variants: true });
  }

  productCount(): number {
    return this.context.state.products.length;
  }

  createProduct(input: ProductInput): View {
    return productView(createProduct(this.context, input), { variants: true });
  }

  /** A partial update as the control panel makes it: same fields and events as the Catalog PUT. */
  updateProduct(productId: number, patch: Record<string, unknown>): View {
    return productView(updateProduct(this.context, this.context.product(productId), patch), { variants: true });
  }

  deleteProduct(productId: number): void {
    deleteProduct(this.context, this.context.product(productId));
  }

  addVariant(productId: number, input: VariantInput): View {
    const product = this.context.product(productId);
    return variantView(product, createVariant(this.context, product, input));
  }

  updateVariant(productId: number, variantId: number, patch: Record<string, unknown>): View {
    const product = this.context.product(productId);
    return variantView(product, updateVariant(this.context, product, this.context.variantOf(product, variantId), patch));
  }

  deleteVariant(productId: number, variantId: number): void {
    const product = this.context.product(productId);
    deleteVariant(this.context, product, this.context.variantOf(product, variantId));
  }

  /** Sets stock as the control panel or an import does (absolute), firing the inventory events of ref §6.4. */
  setInventoryLevel(target: { productId: number; variantId?: number; level: number }): View {
    const product = this.context.product(target.productId);
    const level = checkLevel(target.level, 'level');
    const changed =
      target.variantId === undefined
        ? writeProductLevel(this.context, product, level)
        : writeVariantLevel(this.context, product, this.context.variantOf(product, target.variantId), level);
    if (changed) {
      product.date_modified = this.context.now();
      this.context.changed();
    }
    return productView(product, { variants: true });
  }

  setInventoryTracking(productId: number, tracking: InventoryTracking): View {
    return this.updateProduct(productId, { inventory_tracking: tracking });
  }

  createCategory(input: { name: string; parent_id?: number }): number {
    const id = Math.max(0, ...this.context.state.categories.map((c) => c.id)) + 1;
    this.context.state.categories.push({
      id,
      parent_id: input.parent_id ?? 0,
      name: input.name,
      description: '',
      sort_order: id,
      is_visible: true,
      custom_url: `/category-${id}/`,
    });
    this.context.changed();
    return id;
  }

  createBrand(input: { name: string }): number {
    const id = Math.max(0, ...this.context.state.brands.map((b) => b.id)) + 1;
    this.context.state.brands.push({ id, name: input.name, custom_url: `/brand-${id}/` });
    this.context.changed();
    return id;
  }

  inventorySettings(): InventorySettings {
    return { ...this.context.state.settings };
  }

  setInventorySettings(patch: Partial<InventorySettings>): InventorySettings {
    Object.assign(this.context.state.settings, inventorySettingsPatch(patch as Record<string, unknown>));
    this.context.changed();
    return this.inventorySettings();
  }

  /** Whether the product (variant) can be bought now (ref §8.4 `purchasable`/`instock`, inferred). */
  purchasability(productId: number, variantId?: number): Purchasability {
    const product = this.context.product(productId);
    const variant = variantId === undefined ? product.variants[0]! : this.context.variantOf(product, variantId);
    const stock = availableFor(product, variant);
    const inStock = stock === null || stock > 0;
    if (product.availability === 'disabled') return { purchasable: false, inStock, stock, message: null };
    if (variant.purchasing_disabled) return { purchasable: false, inStock, stock, message: variant.purchasing_disabled_message || null };
    return { purchasable: inStock, inStock, stock, message: inStock ? null : this.context.state.settings.default_out_of_stock_message };
  }

  /** Places an order (a checkout with `flow: 'checkout'`), moving stock and firing its events; the v2 order. */
  placeOrder(input: PlaceOrderInput): View {
    return orderView(placeOrder(this.context, input), this.apiBase);
  }

  order(orderId: number): View {
    return orderView(findOrder(this.context, orderId), this.apiBase);
  }

  /** The order's lines as `GET /v2/orders/{id}/products` shows them. */
  orderProducts(orderId: number): View[] {
    const order = findOrder(this.context, orderId);
    return order.lines.map((line) => orderLineView(order, line));
  }

  orderCount(): number {
    return this.context.state.orders.length;
  }

  /** Changes the status as the control panel does (cancel, reinstate, ship …), moving stock per ref §4.6. */
  setOrderStatus(orderId: number, statusId: number): View {
    setStatus(this.context, findOrder(this.context, orderId), statusId, { moveStock: true });
    return this.order(orderId);
  }

  /** Archives the order as `DELETE /v2/orders/{id}` does (the control panel's Archive). */
  archiveOrder(orderId: number): View {
    archiveOrder(this.context, findOrder(this.context, orderId));
    return this.order(orderId);
  }

  /** Refunds units of order lines; returns the refund id. */
  refundOrder(orderId: number, items: LineQuantity[]): number {
    return refundOrder(this.context, findOrder(this.context, orderId), items);
  }

  editOrderQuantities(orderId: number, items: LineQuantity[]): View {
    editOrderQuantities(this.context, findOrder(this.context, orderId), items);
    return this.order(orderId);
  }

  /** Every event the store fired (whether or not a hook received it), oldest first. */
  events(filter: { scope?: string } = {}): SandboxEvent[] {
    return this.context.events.filter((e) => filter.scope === undefined || e.payload.scope === filter.scope);
  }

  deliveries(): Delivery[] {
    return this.core.dispatcher.deliveries(this.storeHash);
  }

  /** Sends held out-of-order batches and waits for deliveries in flight. */
  async flushWebhooks(): Promise<void> {
    this.core.dispatcher.flush(this.storeHash);
    await this.core.dispatcher.idle();
  }

  /**
   * Sets the store's time zone, as the control panel's Store Settings do (fires no webhook: BigCommerce sends
   * none for it). An app reads it from `/v2/store`.
   */
  setTimezone(name: string): ReturnType<typeof timezoneView> {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
    } catch {
      throw new Error(`"${name}" is not a time zone: give an IANA name such as America/New_York`);
    }
    this.context.state.timezone = name;
    this.context.changed();
    return timezoneView(name);
  }

  switches(): Switches {
    return { ...this.context.state.switches };
  }

  setSwitches(patch: Partial<Switches>): Switches {
    Object.assign(this.context.state.switches, validateSwitches(patch as Record<string, unknown>));
    this.context.changed();
    return this.switches();
  }

  hooks(): View[] {
    return this.context.state.hooks.map((hook) => hookView(this.context.state, hook));
  }

  scripts(): View[] {
    return this.context.state.scripts.map(scriptView);
  }

  /** Adds a large generated catalog (no events), for benchmarks. */
  generateCatalog(options: GenerateOptions = {}): GenerateResult {
    return generateCatalog(this.context, options);
  }
}
