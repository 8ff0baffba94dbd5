/**
 * The storefront part of the Settings form: every field of storefront-settings.schema.ts, grouped the way a
 * merchant thinks of the shop (theme, product page, Add to Cart, cart, cards, checkout, language). Field
 * names are the schema paths under `storefront.`; what kind of input a field gets (switch, text with its
 * placeholders, colour, choice) is read from the schema itself, so the form cannot drift from it.
 */
import { z } from 'zod';
import { contrastAdvice } from '../../storefront/src/contract/contrast-advice.ts';
import { cornerstone } from '../../storefront/src/contract/theme-profiles/cornerstone.ts';
import {
  DATE_STYLES,
  placeholdersIn,
  storefrontSettingsSchema,
  TEXT_MAX_LENGTH,
  type FieldMeta,
  type StorefrontSettings,
} from './storefront-settings.schema.ts';
import { DEFAULT_SETTINGS } from './settings.schema.ts';
import { CUSTOM_SELECTOR_LABELS, STOREFRONT_GROUPS, THEME_LABELS, type GroupSpec } from './storefront-form-groups.ts';
import { deepMerge, patchOf, valueAt, type Patch } from './patch.ts';

export { STOREFRONT_GROUPS };

/** What each placeholder stands for, beside the buttons that insert it. */
const PLACEHOLDER_MEANINGS: Record<string, string> = {
  quantity: 'the units the shopper chose (on a cart line, its quantity)',
  backordered: 'of those, the units beyond what is on hand',
  onHand: 'the units ready to ship',
  salable: 'the most units that can be ordered now',
  inCart: 'the units already in the shopper’s cart',
  date: 'the back-in-stock date, in the shopper’s language',
  name: 'the product’s name, with the options the shopper chose: “Towel (Grey, M)”',
};

/** Where the Cornerstone profile finds each part a Custom selector replaces: the hint shows it. */
const CORNERSTONE_SELECTORS: Record<keyof StorefrontSettings['customSelectors'], string> = {
  productView: cornerstone.product.view,
  productForm: cornerstone.product.form,
  productId: cornerstone.product.productId,
  productOptions: cornerstone.product.options,
  quantityInput: cornerstone.product.quantity,
  addToCartButton: cornerstone.product.addToCart,
  walletButtons: cornerstone.product.walletButtons,
  inventoryDescriptionAnchor: cornerstone.product.inventoryDescription[0]!.selector,
  shippingDescriptionAnchor: cornerstone.product.shippingDescription[0]!.selector,
  quickView: cornerstone.product.quickView,
  card: cornerstone.listing.card,
  cardBadgeAnchor: cornerstone.listing.badge[0]!.selector,
  cartRow: cornerstone.cart.row,
  cartQuantityInput: cornerstone.cart.quantity,
  cartMessageAnchor: cornerstone.cart.message[0]!.selector,
};

type Kind = 'check' | 'text' | 'colour' | 'choice' | 'line';

/** The schema of one field, by its path under the storefront settings (`badge.textColor`). */
function fieldSchema(path: string): z.ZodType {
  let node: z.ZodType = storefrontSettingsSchema;
  for (const key of path.split('.')) {
    while (node instanceof z.ZodPrefault || node instanceof z.ZodDefault) node = node.unwrap() as z.ZodType;
    node = (node as z.ZodObject).shape[key] as z.ZodType;
  }
  return node;
}

function kindOf(schema: z.ZodType): { kind: Kind; meta?: FieldMeta; options?: readonly string[] } {
  const meta = schema.meta() as FieldMeta | undefined;
  if (meta) return { kind: meta.kind, meta };
  const inner = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
  if (inner instanceof z.ZodBoolean) return { kind: 'check' };
  // A choice read through a preprocess (a withdrawn value mapped to its successor) offers its enum's options.
  const choice = inner instanceof z.ZodPipe ? (inner.out as z.ZodType) : inner;
  if (choice instanceof z.ZodEnum) return { kind: 'choice', options: choice.options as string[] };
  return { kind: 'line' };
}

/** The value at a field's dotted path (`quantityMessage.backorderedText`). */
const valueOf = (settings: Patch, path: string): unknown => valueAt(settings, path.split('.'));

/** Every path of the form's storefront fields, in the form's order. */
export function storefrontFieldPaths(): string[] {
  return STOREFRONT_GROUPS.flatMap((group) => group.sections.flatMap((section) => section.fields.map((field) => field.path)));
}

/**
 * A field's name in messages: its section's title, then its label ("Badge: Sold out") — the label alone
 * when it already says the title ("Language", "Show badges"), so no message reads "Language: Language".
 */
function fieldName(sectionTitle: string, label: string): string {
  const title = sectionTitle.toLowerCase().replace(/s$/, '');
  return label.toLowerCase().includes(title) ? label : `${sectionTitle}: ${label}`;
}

/** The form's label of a storefront field (`quantityMessage.backorderedText`), as errors name it. */
export function storefrontFieldLabels(): Record<string, string> {
  return Object.fromEntries(
    STOREFRONT_GROUPS.flatMap((group) =>
      group.sections.flatMap((section) => section.fields.map((field) => [`storefront.${field.path}`, fieldName(section.title, field.label)])),
    ),
  );
}

type Body = Record<string, unknown>;

/**
 * The storefront fields of a posted form as a patch. A field the post does not carry is left as it is; a
 * switch is posted as a hidden "off" followed by its checkbox's "on", so an unticked box reads as off.
 */
export function readStorefrontFields(body: Body): Record<string, unknown> {
  const fields: Array<[string[], unknown]> = [];
  for (const path of storefrontFieldPaths()) {
    const posted = body[`storefront.${path}`];
    if (posted === undefined) continue;
    const values = Array.isArray(posted) ? posted.map(String) : [String(posted)];
    fields.push([path.split('.'), kindOf(fieldSchema(path)).kind === 'check' ? values.includes('on') : (values.at(-1) ?? '')]);
  }
  return patchOf(fields);
}

/** The storefront fields as the form posts them for `settings` left as they are (a switch: "on" or "off"). */
export function storefrontFieldValues(settings: StorefrontSettings): Array<[name: string, value: string]> {
  return storefrontFieldPaths().map((path) => {
    const value = valueOf(settings, path);
    return [`storefront.${path}`, typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value ?? '')];
  });
}

/** The group's fields set back to their defaults, the rest of `values` as it is. */
export function withGroupDefaults<T extends { storefront: StorefrontSettings }>(values: T, groupId: string): T {
  const group = STOREFRONT_GROUPS.find((g) => g.id === groupId);
  const paths = group?.sections.flatMap((s) => s.fields.map((f) => f.path)) ?? [];
  const defaults = patchOf(paths.map((path) => [path.split('.'), valueOf(DEFAULT_SETTINGS.storefront, path)]));
  return { ...values, storefront: deepMerge(values.storefront, defaults) as StorefrontSettings };
}

/**
 * The groups unfolded when the page opens: the theme, where a store starts. The texts are many and have
 * defaults that work, so their groups stay folded under their titles — a page one screen of summaries tall
 * rather than a dozen — and unfold when the merchant opens one, when one of their fields has a problem, or
 * when they were just reset.
 */
const UNFOLDED_GROUPS: ReadonlySet<string> = new Set(['theme']);

/**
 * The storefront groups as the page renders them, with the values shown and each field's problem, and whether
 * each shows unfolded (`open`); `resetGroup` is the group just reset.
 */
export function storefrontGroupsView(settings: StorefrontSettings, problems: ReadonlyMap<string, string>, resetGroup?: string) {
  return STOREFRONT_GROUPS.map((group: GroupSpec) => ({
    id: group.id,
    title: group.title,
    intro: group.intro,
    customShown: settings.themeProfile === 'custom',
    open: UNFOLDED_GROUPS.has(group.id) || group.id === resetGroup || group.sections.some((s) => s.fields.some((f) => problems.has(`storefront.${f.path}`))),
    sections: group.sections.map((section) => ({
      title: section.title,
      custom: section.custom ?? false,
      warning: section.colours
        ? contrastAdvice(valueOf(settings, section.colours.text) as string, valueOf(settings, section.colours.background) as string)
        : '',
      colours: section.colours && { textId: fieldId(section.colours.text), backgroundId: fieldId(section.colours.background) },
      fields: section.fields.map((field) => fieldView(settings, field.path, field.label, field.hint, problems)),
    })),
  }));
}

function fieldView(settings: StorefrontSettings, path: string, label: string, hint: string | undefined, problems: ReadonlyMap<string, string>) {
  const { kind, meta, options } = kindOf(fieldSchema(path));
  const name = `storefront.${path}`;
  const value = valueOf(settings, path);
  const selector = path.startsWith('customSelectors.') ? (path.split('.')[1] as keyof typeof CORNERSTONE_SELECTORS) : undefined;
  const allowed = meta?.kind === 'text' ? meta.allowed : [];
  const required = meta?.kind === 'text' ? meta.required : [];
  return {
    name,
    id: fieldId(path),
    label,
    hint: selector ? `${CUSTOM_SELECTOR_LABELS[selector]} Empty: Cornerstone’s ${CORNERSTONE_SELECTORS[selector]}` : hint,
    [kind]: true,
    value: typeof value === 'boolean' ? '' : String(value ?? ''),
    checked: value === true,
    pickerValue: kind === 'colour' ? pickerValue(String(value)) : undefined,
    defaultValue: String(valueOf(DEFAULT_SETTINGS.storefront, path) ?? ''),
    maxlength: meta?.kind === 'text' ? TEXT_MAX_LENGTH : undefined,
    optional: meta?.kind === 'text' && meta.optional,
    requires: required.map((p) => `{${p}}`).join(', '),
    placeholders: allowed.map((p) => ({ token: `{${p}}`, meaning: PLACEHOLDER_MEANINGS[p] })),
    salableCaution: salableHides(path, allowed) ? { shown: placeholdersIn(String(value ?? '')).includes('salable') } : undefined,
    options: options?.map((option) => ({ value: option, label: optionLabel(path, option), selected: option === value })),
    problem: problems.get(name),
  };
}

/**
 * Whether `{salable}` in this text would hide it for some items: those with unlimited backorders have no
 * salable quantity, and a text whose placeholder cannot be filled is not shown. The over-limit texts show
 * only for limited items, so they use it freely; the form warns on the others while `{salable}` is in them.
 */
function salableHides(path: string, allowed: readonly string[]): boolean {
  return allowed.includes('salable') && !/\.overLimit/.test(path);
}

/** The element id of a field: `sf-badge-textColor`. */
export const fieldId = (path: string) => `sf-${path.replace(/\./g, '-')}`;

/** A colour as `<input type=color>` takes it (`#rrggbb`); black when empty or unreadable. */
function pickerValue(colour: string): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour)?.[1];
  if (!hex) return '#000000';
  return `#${hex.length === 3 ? [...hex].map((d) => d + d).join('') : hex}`.toLowerCase();
}

const DATE_STYLE_LABELS: Record<(typeof DATE_STYLES)[number], string> = {
  full: 'Full (Saturday, March 15, 2031)',
  long: 'Long (March 15, 2031)',
  medium: 'Medium (Mar 15, 2031)',
};

function optionLabel(path: string, option: string): string {
  if (path === 'themeProfile') return THEME_LABELS[option as keyof typeof THEME_LABELS];
  if (path === 'backInStockDate.dateStyle') return DATE_STYLE_LABELS[option as (typeof DATE_STYLES)[number]];
  return option;
}
