/** The theme check as the Settings page shows it: the result, or why the shop could not be checked. */
import type { Db } from '../db/database.ts';
import type { StorefrontSettings } from '../settings/storefront-settings.schema.ts';
import { THEME_LABELS } from '../settings/storefront-form-groups.ts';
import { checkTheme, type PageReader } from './theme-check.service.ts';

/** Runs the check for the typed settings and words its outcome for the merchant. */
export async function themeCheckView(db: Db, storeHash: string, storefront: StorefrontSettings, read?: PageReader) {
  const profileLabel = THEME_LABELS[storefront.themeProfile];
  try {
    const result = await checkTheme(db, storeHash, storefront, read);
    const missing = result.anchors.filter((anchor) => !anchor.found);
    return {
      profileLabel,
      anchors: result.anchors,
      detected: THEME_LABELS[result.detected as keyof typeof THEME_LABELS],
      summary: missing.length
        ? `${missing.length} of ${result.anchors.length} places were not found in ${result.productUrl} and your cart page: ${missing.map((a) => a.label).join(', ')}.`
        : `Everything ${profileLabel} needs was found in ${result.productUrl} and your cart page.`,
    };
  } catch (error) {
    return { profileLabel, error: (error as Error).message };
  }
}
