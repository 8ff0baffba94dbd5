/**
 * A store's settings and their defaults. Only what a merchant changed is stored (store_settings.overrides);
 * everything else comes from here, so a better default reaches every store that never chose otherwise.
 * Names follow DESIGN.md's words; they are part of the storefront API and of exports, so keep them stable.
 */
import { z } from 'zod';
import { noControlCharacters } from './control-characters.ts';
import { storefrontSettingsSchema } from './storefront-settings.schema.ts';

/** The largest default threshold (an item's own may go higher, to MAX_QUANTITY): beyond it, Unlimited says what is meant. */
export const MAX_DEFAULT_THRESHOLD = 1_000_000;

export const inventorySettingsSchema = z.object({
  /** Threshold given to newly assigned items; null means unlimited. */
  defaultBackorderThreshold: z
    .number({ message: 'Enter a whole number of 0 or more, or tick Unlimited.' })
    .int({ message: 'Enter a whole number of 0 or more, or tick Unlimited.' })
    .min(0, { message: 'Enter 0 or more, or tick Unlimited.' })
    .max(MAX_DEFAULT_THRESHOLD, { message: `Enter at most ${MAX_DEFAULT_THRESHOLD.toLocaleString('en-US')}, or tick Unlimited.` })
    .nullable()
    .default(0),
  /**
   * An ERP pushes the new level to BigCommerce when incoming stock arrives, so the back-in-stock date only
   * drives the ETA and the arrival is never counted twice.
   */
  incomingStockArrivesThroughBigCommerce: z.boolean().default(false),
  /** On unassign, leave BigCommerce's level as it is (an ERP maintains it) instead of writing current stock. */
  stockLevelMaintainedExternally: z.boolean().default(false),
  /**
   * How the limit holds (DESIGN.md flow 11). `flexible`: BigCommerce's tracking is off, the app stops selling
   * within seconds of the cap. `strict`: tracking stays on and the app keeps BigCommerce's level at
   * stock + threshold, so BigCommerce itself refuses every unit beyond the cap. Changed on the Settings page,
   * which switches every assigned product over.
   */
  limitMode: z.enum(['flexible', 'strict']).default('flexible'),
  /** Shown by BigCommerce on a variant whose selling the app stopped (its salable quantity reached 0). */
  sellingStoppedMessage: z
    .string()
    .trim()
    .superRefine(noControlCharacters())
    .min(1, { message: 'Enter a text.' })
    .max(255, { message: 'Use at most 255 characters.' })
    .default('Sold out: no more can be ordered for now.'),
});

export const orderNoteSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  /** staff_notes: merchant-only; customer_message: visible to the shopper on the order. */
  target: z.enum(['staff_notes', 'customer_message'], { message: 'Choose the staff notes or the customer’s message.' }).default('staff_notes'),
  /** The store's BackOrder message, written above the list of backordered products. */
  message: z
    .string()
    .trim()
    .superRefine(noControlCharacters({ multiline: true }))
    .min(1, { message: 'Enter a text.' })
    .max(500, { message: 'Use at most 500 characters.' })
    .default('This order contains backordered items:'),
});

export const settingsSchema = z.object({
  inventory: inventorySettingsSchema.prefault({}),
  orderNote: orderNoteSettingsSchema.prefault({}),
  storefront: storefrontSettingsSchema.prefault({}),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Every setting at its default. */
export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});
