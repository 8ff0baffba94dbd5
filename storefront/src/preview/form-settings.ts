/**
 * The storefront settings as the admin's Settings form holds them right now (typed, not saved): every
 * `storefront.*` field, named by its schema path, read into the settings view the components take.
 */
import type { StorefrontSettingsView } from '../contract/storefront-api.ts';

const PREFIX = 'storefront.';

/** The form's storefront fields as the settings view the storefront API would send; a switch reads as its checkbox. */
export function settingsFromForm(form: HTMLFormElement): StorefrontSettingsView {
  const view: Record<string, unknown> = {};
  for (const element of Array.from(form.elements)) {
    if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement)) continue;
    if (!element.name.startsWith(PREFIX) || (element instanceof HTMLInputElement && element.type === 'hidden')) continue;
    const keys = element.name.slice(PREFIX.length).split('.');
    let node = view;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = element instanceof HTMLInputElement && element.type === 'checkbox' ? element.checked : element.value.trim();
  }
  // `enabled` is the storefront API's to apply (a store with messages off gets no settings at all).
  delete view['enabled'];
  return view as unknown as StorefrontSettingsView;
}
