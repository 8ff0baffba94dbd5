/**
 * The demo catalog every new store gets unless created `empty`: 36 products with deterministic ids
 * (100–135) across 7 categories and 6 brands — simple products and products with options, tracked by
 * product, by variant and untracked, some out of stock, one pre-order, one disabled, one hidden, one
 * variant with purchasing disabled; options shown as drop-downs, rectangles, radio buttons and swatches —
 * and three past orders (100–102) of untracked products, so no seeded level is spent.
 */
import { createProduct, type ProductInput } from './catalog.ts';
import type { InventoryTracking, ProductOption } from './model.ts';
import { placeOrder } from './orders.ts';
import type { StoreContext } from './store-context.ts';

const CATEGORIES: Array<[number, number, string]> = [
  [18, 0, 'Shop All'],
  [19, 18, 'Kitchen'],
  [20, 18, 'Garden'],
  [21, 18, 'Bath'],
  [22, 18, 'Utility'],
  [23, 18, 'Publications'],
  [24, 18, 'Apparel'],
];

const BRANDS: Array<[number, string]> = [
  [36, 'Common Good'],
  [37, 'Sagaform'],
  [38, 'OFS'],
  [39, 'Fog Linen Work'],
  [40, 'Barrel & Pine'],
  [41, 'Northwind Press'],
];

type Simple = [
  name: string,
  sku: string,
  price: number,
  category: number,
  brand: number,
  tracking: InventoryTracking,
  level: number,
  extra?: Partial<ProductInput>,
];

const SIMPLE: Simple[] = [
  ['Orbit Terrarium - Large', 'ORBIT-L', 109, 20, 38, 'product', 12],
  ['Orbit Terrarium - Small', 'ORBIT-S', 89, 20, 38, 'product', 0],
  ['Able Brewing System', 'ABS', 225, 19, 37, 'product', 6],
  ['Chemex Coffeemaker 3 Cup', 'CC3C', 49.5, 19, 37, 'product', 0],
  ['Dustpan & Brush', 'DPB', 34.95, 22, 36, 'product', 40],
  ['Utility Caddy', 'OFSUC', 45.95, 22, 38, 'none', 0],
  ['Canvas Laundry Cart', 'CLC', 200, 22, 36, 'product', 3, { inventory_warning_level: 5 }],
  ['1L Le Parfait Jar', 'SLLPJ', 7.95, 19, 37, 'none', 0],
  [
    'Tiered Wire Basket',
    'TWB',
    119.95,
    19,
    38,
    'product',
    0,
    {
      availability: 'preorder',
      preorder_message: 'Ships from %%DATE%%',
      preorder_release_date: '2030-01-15T00:00:00+00:00',
    },
  ],
  ['Oak Cheese Grater', 'OCG', 34.95, 19, 38, 'product', 25],
  ['Laundry Detergent', 'CGLD', 29, 22, 36, 'product', 100],
  ['Smith Journal 13', 'SM13', 25, 23, 41, 'none', 0],
  ['Kinfolk Volume 21', 'KV21', 24, 23, 41, 'product', 0, { availability: 'disabled' }],
  ['Bath Brush', 'BB-01', 18, 21, 39, 'product', 15],
  ['Cotton Bath Towel', 'CBT-01', 32, 21, 39, 'product', 2],
  ['Linen Hand Towel', 'LHT-01', 19, 21, 39, 'none', 0],
  ['Garden Trowel', 'GT-01', 22, 20, 40, 'product', 0],
  ['Watering Can', 'WC-01', 48, 20, 40, 'product', 9],
  ['Pruning Shears', 'PS-01', 36, 20, 40, 'product', 1],
  ['Seed Starter Kit', 'SSK-01', 27, 20, 40, 'none', 0, { is_visible: false }],
  ['Enamel Mug', 'EM-01', 14, 19, 37, 'product', 60],
  ['Espresso Cups (Set of 2)', 'EC2', 28, 19, 37, 'product', 0],
  ['Recipe Notebook', 'RN-01', 16, 23, 41, 'product', 8],
  ['Cedar Shoe Rack', 'CSR-01', 79, 22, 40, 'product', 4, { sale_price: 69 }],
];

type WithOptions = [
  name: string,
  sku: string,
  price: number,
  category: number,
  brand: number,
  tracking: InventoryTracking,
  options: Array<[string, string[]]>,
  levels: number[],
  productLevel?: number,
];

const WITH_OPTIONS: WithOptions[] = [
  [
    'Fog Linen Chambray Towel',
    'FLCT',
    49,
    21,
    39,
    'variant',
    [
      ['Color', ['Beige Stripe', 'Grey Stripe']],
      ['Size', ['S', 'M', 'L']],
    ],
    [5, 0, 3, 8, 0, 2],
  ],
  ['Linen Apron', 'AP', 38, 24, 39, 'variant', [['Color', ['Natural', 'Navy', 'Charcoal']]], [10, 0, 4]],
  ['Linen T-Shirt', 'LTS', 45, 24, 39, 'variant', [['Size', ['S', 'M', 'L', 'XL']]], [3, 7, 0, 0]],
  ['Canvas Tote', 'CT', 30, 24, 36, 'variant', [['Color', ['Red', 'Blue']]], [0, 0]],
  ['Wool Socks', 'WS', 16, 24, 36, 'product', [['Size', ['S', 'M', 'L']]], [0, 0, 0], 20],
  ['Gardening Gloves', 'GG', 21, 20, 40, 'product', [['Size', ['M', 'L']]], [0, 0], 0],
  ['Ceramic Planter', 'CP', 42, 20, 38, 'none', [['Size', ['Small', 'Medium', 'Large']]], [0, 0, 0]],
  ['Market Basket', 'MB', 55, 22, 38, 'none', [['Color', ['Natural', 'Black']]], [0, 0]],
  ['Glass Carafe', 'GC', 36, 19, 37, 'variant', [['Size', ['0.5 L', '1 L']]], [12, 0]],
  ['Print Subscription', 'PSUB', 60, 23, 41, 'variant', [['Term', ['3 months', '6 months', '12 months']]], [50, 50, 50]],
  ['Linen Napkins', 'LN', 26, 19, 39, 'variant', [['Color', ['White', 'Sand', 'Rust']]], [6, 6, 0]],
  ['Rain Boots', 'RB', 85, 24, 40, 'variant', [['Size', ['38', '39', '40', '41', '42']]], [1, 2, 0, 3, 0]],
];

/** How some options show on the storefront (the rest are drop-downs); swatch values carry their colours. */
const OPTION_STYLES: Record<string, { type: ProductOption['type']; colors?: Record<string, string> }> = {
  'FLCT:Color': { type: 'swatch', colors: { 'Beige Stripe': '#d8c9a9', 'Grey Stripe': '#9b9b9b' } },
  'FLCT:Size': { type: 'rectangles' },
  'AP:Color': { type: 'swatch', colors: { Natural: '#e6dcc6', Navy: '#1f2a44', Charcoal: '#36454f' } },
  'LTS:Size': { type: 'rectangles' },
  'RB:Size': { type: 'rectangles' },
  'PSUB:Term': { type: 'radio_buttons' },
};

/** Every combination of the options' values, first option slowest. */
function combinations(options: Array<[string, string[]]>): Array<Array<[string, string]>> {
  return options.reduce<Array<Array<[string, string]>>>(
    (acc, [name, values]) => acc.flatMap((combo) => values.map((value) => [...combo, [name, value] as [string, string]])),
    [[]],
  );
}

function skuPart(label: string): string {
  return label.toUpperCase().replace(/[^A-Z0-9]+/g, '');
}

/** Fills an empty store with the demo catalog. */
export function seedDemoCatalog(store: StoreContext): void {
  store.state.categories.push(
    ...CATEGORIES.map(([id, parent_id, name], i) => ({
      id,
      parent_id,
      name,
      description: '',
      sort_order: i,
      is_visible: true,
      custom_url: `/${skuPart(name).toLowerCase()}/`,
    })),
  );
  store.state.brands.push(...BRANDS.map(([id, name]) => ({ id, name, custom_url: `/brands/${skuPart(name).toLowerCase()}/` })));

  for (const [name, sku, price, category, brand, tracking, level, extra] of SIMPLE) {
    createProduct(store, {
      name,
      sku,
      price,
      weight: 1,
      categories: [18, category],
      brand_id: brand,
      inventory_tracking: tracking,
      inventory_level: level,
      description: `<p>${name}.</p>`,
      ...extra,
    });
  }
  for (const [name, sku, price, category, brand, tracking, options, levels, productLevel] of WITH_OPTIONS) {
    const product = createProduct(store, {
      name,
      sku,
      price,
      weight: 1,
      categories: [18, category],
      brand_id: brand,
      inventory_tracking: tracking,
      inventory_level: productLevel,
      description: `<p>${name}.</p>`,
      variants: combinations(options).map((combo, i) => ({
        sku: [sku, ...combo.map(([, label]) => skuPart(label))].join('-'),
        option_values: combo.map(([option_display_name, label]) => ({ option_display_name, label })),
        inventory_level: levels[i] ?? 0,
      })),
    });
    for (const option of product.options) {
      const style = OPTION_STYLES[`${sku}:${option.display_name}`];
      if (!style) continue;
      option.type = style.type;
      for (const value of option.values) if (style.colors?.[value.label]) value.colors = [style.colors[value.label]!];
    }
    if (sku === 'AP') {
      const navy = product.variants[1]!;
      navy.purchasing_disabled = true;
      navy.purchasing_disabled_message = 'Navy is back in March';
    }
  }
  seedOrders(store);
}

const DAY_MS = 24 * 3600 * 1000;

/** Completed, awaiting fulfillment and cancelled orders, dated the last three days. */
function seedOrders(store: StoreContext): void {
  const planter = store.products.get(130)!.variants[1]!.id;
  const orders: Array<[number, Parameters<typeof placeOrder>[1]['lines']]> = [
    [
      10,
      [
        { productId: 105, quantity: 1 },
        { productId: 111, quantity: 2 },
      ],
    ],
    [11, [{ productId: 130, variantId: planter, quantity: 1 }]],
    [5, [{ productId: 131, variantId: store.products.get(131)!.variants[0]!.id, quantity: 1 }]],
  ];
  orders.forEach(([statusId, lines], i) => {
    const order = placeOrder(store, { statusId, lines, customerMessage: i === 0 ? 'Gift wrap, please' : '' });
    order.date_created = order.date_modified = store.now() - (3 - i) * DAY_MS;
    if (statusId === 10) order.date_shipped = order.date_created + DAY_MS / 2;
  });
}
