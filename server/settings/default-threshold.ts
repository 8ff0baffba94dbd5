/**
 * The default backorder threshold, asked for on first use. Its built-in value, 0, lets nothing be sold
 * beyond stock — a surprise in an app for selling after stock runs out — so until the merchant has chosen
 * one (here or in Settings), the assign form asks, suggesting `SUGGESTED_DEFAULT_THRESHOLD`.
 */
import type { Db } from '../db/database.ts';
import { findOverrides } from './settings.repo.ts';
import { updateSettings } from './settings.service.ts';

/** Offered when the merchant is first asked: a few units beyond stock, enough to keep selling while a delivery is on its way. */
export const SUGGESTED_DEFAULT_THRESHOLD = 10;

/** Whether the merchant has chosen the store's default threshold (even if they chose 0). */
export async function defaultThresholdChosen(db: Db, storeHash: string): Promise<boolean> {
  const { inventory } = (await findOverrides(db, storeHash)) as { inventory?: Record<string, unknown> };
  return inventory !== undefined && 'defaultBackorderThreshold' in inventory;
}

/** Saves the store's default threshold (null: unlimited); it fills the rows of every assign form from now on. */
export async function chooseDefaultThreshold(db: Db, storeHash: string, threshold: number | null): Promise<void> {
  await updateSettings(db, storeHash, { inventory: { defaultBackorderThreshold: threshold } });
}
