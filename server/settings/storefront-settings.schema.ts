/**
 * What shoppers see: which theme profile places the components, and the texts and colours of the
 * messages. Read by the storefront API; edited in the admin's Settings tab.
 */
import { z } from 'zod';

export const THEME_PROFILES = ['cornerstone', 'cornerstone-legacy', 'halothemes', 'pixel-union', 'papathemes', 'custom'] as const;

export const storefrontSettingsSchema = z.object({
  /** Show backorder messages on the storefront at all. */
  enabled: z.boolean().default(true),
  themeProfile: z.enum(THEME_PROFILES).default('cornerstone'),
});

export type StorefrontSettings = z.infer<typeof storefrontSettingsSchema>;
