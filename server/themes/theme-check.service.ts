/**
 * The theme check: reads the store's own product and cart pages over its public URL and says, for each
 * anchor the chosen theme profile needs, whether the page has it; and which built-in profile fits the
 * pages best (theme detection, also run once after install to choose the store's default profile).
 */
import { readStorefrontPages, type StorefrontPages } from '../bigcommerce/storefront-pages.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { getSettings, updateSettings } from '../settings/settings.service.ts';
import { findOverrides } from '../settings/settings.repo.ts';
import type { StorefrontSettings } from '../settings/storefront-settings.schema.ts';
import { cornerstone } from '../../storefront/src/contract/theme-profiles/cornerstone.ts';
import { cornerstoneLegacy } from '../../storefront/src/contract/theme-profiles/cornerstone-legacy.ts';
import { customProfile } from '../../storefront/src/contract/theme-profiles/custom.ts';
import { halothemes } from '../../storefront/src/contract/theme-profiles/halothemes.ts';
import { papathemes } from '../../storefront/src/contract/theme-profiles/papathemes.ts';
import { pixelUnion } from '../../storefront/src/contract/theme-profiles/pixel-union.ts';
import type { ThemeProfile } from '../../storefront/src/contract/theme-profiles/types.ts';
import { anchorsOf, parsePage, type AnchorKey, type ParsedPage } from './theme-anchors.ts';
import { findCheckProducts, findStorefrontUrl } from './theme-pages.repo.ts';

/** The built-in profiles, in the order a tie is settled (the most common theme first). */
const BUILT_IN: ThemeProfile[] = [cornerstone, cornerstoneLegacy, halothemes, pixelUnion, papathemes];

/** Reads the pages; tests and the sandbox go through the same HTTP path. */
export type PageReader = typeof readStorefrontPages;

export interface AnchorResult {
  key: AnchorKey;
  label: string;
  page: 'product' | 'cart';
  found: boolean;
  /** The selector that matched, or the first one tried. */
  selector: string;
  note?: string;
}

export interface ThemeCheck {
  profile: string;
  anchors: AnchorResult[];
  /** The built-in profile that fits best. */
  detected: string;
  productUrl: string;
}

interface Pages {
  product: ParsedPage;
  cart: ParsedPage | null;
  productUrl: string;
  hasOptions: boolean;
}

/** Reads and parses the store's pages; throws a merchant-readable error when it cannot. */
async function readPages(db: Db, storeHash: string, read: PageReader): Promise<Pages> {
  const url = await findStorefrontUrl(db, storeHash);
  if (!url) throw new Error('Your store’s address is not known yet: BackOrder reads it while it is set up. Try again in a minute.');
  const products = await findCheckProducts(db, storeHash);
  if (!products.page) throw new Error('Your store has no visible product to open: the theme check needs one product page.');
  let pages: StorefrontPages;
  try {
    pages = await read(url, `/products.php?productId=${products.page.productId}`, products.cartProductId);
  } catch (error) {
    throw new Error(`Your storefront (${url}) could not be read: ${(error as Error).message}`, { cause: error });
  }
  if (pages.product.status !== 200) throw new Error(`Your storefront answered ${pages.product.status} for ${pages.product.url}.`);
  return {
    product: parsePage(pages.product.html),
    cart: pages.cart?.status === 200 ? parsePage(pages.cart.html) : null,
    productUrl: pages.product.url,
    hasOptions: products.page.hasOptions,
  };
}

/** Where each anchor of `profile` is in the pages: the index of the selector that matched (-1: none, null: not CSS); `pageRead` false when its page could not be read. */
function locate(profile: ThemeProfile, pages: Pages) {
  return anchorsOf(profile).map((anchor) => {
    const page = anchor.page === 'product' ? pages.product : pages.cart;
    const index = page ? page.find(anchor.selectors, anchor.inView ? profile.product.view : undefined) : -1;
    return { anchor, pageRead: page !== null, index };
  });
}

function check(profile: ThemeProfile, pages: Pages): AnchorResult[] {
  return locate(profile, pages).map(({ anchor, pageRead, index }) => {
    const base = { key: anchor.key, label: anchor.label, page: anchor.page, selector: anchor.selectors[0]! };
    if (!pageRead) return { ...base, found: false, note: 'no product could be added to a cart to see the cart page' };
    if (index === null) return { ...base, found: false, note: 'this is not a valid CSS selector' };
    if (index < 0 && anchor.key === 'options' && !pages.hasOptions) return { ...base, found: false, note: 'the product checked has no options' };
    return { ...base, found: index >= 0, selector: anchor.selectors[Math.max(0, index)]! };
  });
}

/** How well a profile fits: each anchor found by its first choice counts 1, by a fallback ½. */
function fit(profile: ThemeProfile, pages: Pages): number {
  return locate(profile, pages).reduce((score, { index }) => score + (index === null || index < 0 ? 0 : index === 0 ? 1 : 0.5), 0);
}

/** The built-in profile that fits best, each scored once; a tie goes to the earlier (more common) one. */
function detect(pages: Pages): ThemeProfile {
  const scored = BUILT_IN.map((profile) => ({ profile, score: fit(profile, pages) }));
  return scored.reduce((best, next) => (next.score > best.score ? next : best)).profile;
}

/** Checks the store's pages against the profile `storefront` chooses (as typed: it may not be saved yet). */
export async function checkTheme(db: Db, storeHash: string, storefront: StorefrontSettings, read: PageReader = readStorefrontPages): Promise<ThemeCheck> {
  const pages = await readPages(db, storeHash, read);
  const profile =
    storefront.themeProfile === 'custom'
      ? customProfile(storefront.customSelectors, () => true)
      : (BUILT_IN.find((p) => p.name === storefront.themeProfile) ?? cornerstone);
  return { profile: storefront.themeProfile, anchors: check(profile, pages), detected: detect(pages).name, productUrl: pages.productUrl };
}

/**
 * After install: the profile that fits the store's pages becomes its theme, unless the merchant already
 * chose one (a reinstall keeps their settings). Never fails the install: a shop that cannot be read keeps the default.
 */
export async function detectThemeAfterInstall(
  db: Db,
  storeHash: string,
  logger: Logger,
  read: PageReader = readStorefrontPages,
): Promise<ThemeProfile['name'] | undefined> {
  const chosen = (await findOverrides(db, storeHash))['storefront'] as { themeProfile?: string } | undefined;
  if (chosen?.themeProfile) return undefined;
  try {
    const detected = detect(await readPages(db, storeHash, read)).name;
    if (detected !== (await getSettings(db, storeHash)).storefront.themeProfile)
      await updateSettings(db, storeHash, { storefront: { themeProfile: detected } });
    return detected;
  } catch (error) {
    logger.info({ storeHash, err: error }, 'theme detection skipped: the storefront could not be read');
    return undefined;
  }
}
