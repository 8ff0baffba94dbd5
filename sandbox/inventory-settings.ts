/** The store's inventory settings (ref §4.6): validation of a partial update. */
import { invalid } from './api-error.ts';
import { defaultInventorySettings, type InventorySettings } from './model.ts';

const SETTING_ENUMS: Partial<Record<keyof InventorySettings, readonly string[]>> = {
  product_out_of_stock_behavior: ['do_nothing', 'hide_product', 'hide_product_and_accessible', 'hide_product_and_redirect'],
  option_out_of_stock_behavior: ['do_nothing', 'hide_option', 'label_option'],
  update_stock_behavior: ['order_placed', 'order_completed_or_shipped'],
  stock_level_display: ['dont_show', 'show', 'show_when_low'],
};

/** Validates a partial inventory settings body (ref §4.6). */
export function inventorySettingsPatch(body: Record<string, unknown>): Partial<InventorySettings> {
  const defaults = defaultInventorySettings();
  const problems: Record<string, string> = {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!(key in defaults)) continue;
    const choices = SETTING_ENUMS[key as keyof InventorySettings];
    const kind = typeof defaults[key as keyof InventorySettings];
    if (choices ? !choices.includes(value as string) : typeof value !== kind)
      problems[key] = choices ? `must be one of ${choices.join(', ')}` : `must be a ${kind}`;
    else out[key] = value;
  }
  if (Object.keys(problems).length > 0) throw invalid(problems);
  return out as Partial<InventorySettings>;
}
