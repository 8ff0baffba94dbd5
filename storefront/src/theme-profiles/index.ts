/**
 * The profile a store's settings choose; `custom` lays the store's selectors over Cornerstone's.
 * Cornerstone's profiles are built in (most stores run it or a fork); the other families' data, and the
 * Custom profile's builder, are imported only by the stores that use them.
 */
import type { StorefrontSettingsView, ThemeProfileName } from '../contract/storefront-api.ts';
import { cornerstone } from '../contract/theme-profiles/cornerstone.ts';
import { cornerstoneLegacy } from '../contract/theme-profiles/cornerstone-legacy.ts';
import type { Anchor, ThemeProfile, Where } from '../contract/theme-profiles/types.ts';

export type { Anchor, ThemeProfile, Where };

type NamedProfile = Exclude<ThemeProfileName, 'custom'>;

const PROFILES: Record<NamedProfile, () => ThemeProfile | Promise<ThemeProfile>> = {
  cornerstone: () => cornerstone,
  'cornerstone-legacy': () => cornerstoneLegacy,
  halothemes: () => import('../contract/theme-profiles/halothemes.ts').then((module) => module.halothemes),
  'pixel-union': () => import('../contract/theme-profiles/pixel-union.ts').then((module) => module.pixelUnion),
  papathemes: () => import('../contract/theme-profiles/papathemes.ts').then((module) => module.papathemes),
};

/** The named profiles. */
export const PROFILE_NAMES = Object.keys(PROFILES) as NamedProfile[];

/** A selector the browser accepts; a merchant's typo must not break the page. */
function valid(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    console.warn(`[backorder] ignoring the custom selector "${selector}": it is not valid CSS`);
    return false;
  }
}

/** The theme profile for these settings; Cornerstone's when the chosen one cannot be loaded. */
export async function profileFor(settings: Pick<StorefrontSettingsView, 'themeProfile' | 'customSelectors'>): Promise<ThemeProfile> {
  try {
    if (settings.themeProfile === 'custom') return (await import('../contract/theme-profiles/custom.ts')).customProfile(settings.customSelectors, valid);
    return (await PROFILES[settings.themeProfile]?.()) ?? cornerstone;
  } catch {
    return cornerstone;
  }
}
