/**
 * A Settings page changes only what the merchant changed on it, relative to what it showed (DESIGN.md): a
 * page left open in another session, or an older page posted again from the browser's history, never undoes
 * a change saved meanwhile; a field both changed is refused naming both values, with what was typed kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../server/settings/settings.schema.ts';
import { getSettings, updateSettings } from '../../../server/settings/settings.service.ts';
import { csrfIn, install, load } from '../../helpers/admin.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { everyFieldChanged, settingsForm } from '../../helpers/settings-form.ts';

const fake = fakeBigCommerce();
const STORE = 'stale1';
const BADGE = 'storefront.badge.backorderText';
const BUTTON = 'storefront.addToCartButton.text';
let app: TestApp;
let sessionA: string;
let sessionB: string;

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory(50) });
  fake.addStore(STORE, { products: [bcProduct({ name: 'Kettle' })] });
  // Two of the store's staff, each with Settings open in a browser.
  [sessionA, sessionB] = [(await install(app.url, fake, STORE)).session, await load(app.url, fake, STORE)];
});
afterAll(() => app?.stop());

const reset = () => app.database.db.deleteFrom('store_settings').where('store_hash', '=', STORE).execute();

/** The Settings page as a session opens it. */
async function open(session: string): Promise<{ session: string; html: string }> {
  const response = await fetch(`${app.url}/admin/settings?session=${session}`, { headers: { Accept: 'text/html' } });
  expect(response.status).toBe(200);
  return { session, html: await response.text() };
}

/** Posts `page`'s form as it stands with `changes` typed in, as the browser would. */
async function save(page: { session: string; html: string }, changes: Record<string, string | boolean> = {}) {
  const body = new URLSearchParams([['session', page.session], ['_csrf', csrfIn(page.html)], ...settingsForm(page.html).post(changes)]);
  const response = await fetch(`${app.url}/admin/settings`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body: body.toString(),
  });
  return { session: page.session, status: response.status, html: await response.text(), body };
}

describe('a Settings page older than the settings', () => {
  it('when two sessions open Settings and each saves another field, then both changes stay', async () => {
    await reset();
    const [a, b] = [await open(sessionA), await open(sessionB)];
    expect((await save(a, { [BADGE]: 'Pre-order now' })).status).toBe(303);
    expect((await save(b, { [BUTTON]: 'Reserve yours' })).status).toBe(303);
    const { storefront } = await getSettings(app.database.db, STORE);
    expect([storefront.badge.backorderText, storefront.addToCartButton.text]).toEqual(['Pre-order now', 'Reserve yours']);
    // Only the two fields are stored: every other one keeps following the defaults.
    const stored = await app.database.db.selectFrom('store_settings').select('overrides').where('store_hash', '=', STORE).executeTakeFirstOrThrow();
    expect(stored.overrides).toEqual({ storefront: { badge: { backorderText: 'Pre-order now' }, addToCartButton: { text: 'Reserve yours' } } });
  });

  it('when an older form is posted again from the browser’s history after later saves, then it undoes none of them', async () => {
    await reset();
    const first = await save(await open(sessionA), { [BADGE]: 'Pre-order now' });
    expect(first.status).toBe(303);
    const later = { [BUTTON]: 'Reserve yours', 'orderNote.enabled': false, 'inventory.unlimitedThreshold': true, 'storefront.badge.enabled': false };
    expect((await save(await open(sessionA), later)).status).toBe(303);
    const again = await fetch(`${app.url}/admin/settings`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
      body: first.body.toString(),
    });
    expect(again.status).toBe(303);
    const settings = await getSettings(app.database.db, STORE);
    expect(settings.storefront.badge.backorderText).toBe('Pre-order now');
    expect(settings.storefront.addToCartButton.text).toBe('Reserve yours');
    expect([settings.orderNote.enabled, settings.inventory.defaultBackorderThreshold, settings.storefront.badge.enabled]).toEqual([false, null, false]);
  });

  it('when a field the merchant changed was changed in another session since, then nothing is saved, the field names both values, and what was typed is kept to save again', async () => {
    await reset();
    const [a, b] = [await open(sessionA), await open(sessionB)];
    expect((await save(a, { [BADGE]: 'Pre-order now' })).status).toBe(303);

    const refused = await save(b, { [BADGE]: 'Get it later', [BUTTON]: 'Reserve yours' });
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('The settings were not saved');
    expect(refused.html).toContain('Nothing was saved: a setting changed since you opened this page. Check it below and save again.');
    const form = settingsForm(refused.html);
    const message =
      'changed since you opened this page: it showed “Backorder”, it is “Pre-order now” now. Your “Get it later” is kept below; save again to apply it.';
    expect(refused.html).toContain(`<strong>Badge: On backorder</strong>: ${message}`);
    expect(form.problemOf(BADGE)).toBe(message);
    expect(form.invalidNames()).toEqual([BADGE]);
    expect([form.value(BADGE), form.value(BUTTON)]).toEqual(['Get it later', 'Reserve yours']);
    const kept = await getSettings(app.database.db, STORE);
    expect([kept.storefront.badge.backorderText, kept.storefront.addToCartButton.text]).toEqual([
      'Pre-order now',
      DEFAULT_SETTINGS.storefront.addToCartButton.text,
    ]);

    // Both values were shown: saving the form again applies the merchant's.
    expect((await save(refused)).status).toBe(303);
    const saved = await getSettings(app.database.db, STORE);
    expect([saved.storefront.badge.backorderText, saved.storefront.addToCartButton.text]).toEqual(['Get it later', 'Reserve yours']);
  });

  it('when a page showing every field away from its default is saved untouched after the settings were reset elsewhere, then it changes nothing back', async () => {
    await reset();
    await updateSettings(app.database.db, STORE, everyFieldChanged());
    const page = await open(sessionA);
    await reset();
    // Each hidden input read back as the page showed it: no field differs, so none is saved.
    expect((await save(page)).status).toBe(303);
    expect(await getSettings(app.database.db, STORE)).toEqual(DEFAULT_SETTINGS);
  });

  it('when a refused form is shown again, then the fields the merchant left show the settings now, and saving it keeps them', async () => {
    await reset();
    const [a, b] = [await open(sessionA), await open(sessionB)];
    expect((await save(a, { [BADGE]: 'Pre-order now' })).status).toBe(303);
    const refused = await save(b, { [BUTTON]: 'x'.repeat(201) });
    expect(refused.status).toBe(422);
    const form = settingsForm(refused.html);
    expect(form.value(BADGE)).toBe('Pre-order now');
    expect((await save(refused, { [BUTTON]: 'Reserve yours' })).status).toBe(303);
    const { storefront } = await getSettings(app.database.db, STORE);
    expect([storefront.badge.backorderText, storefront.addToCartButton.text]).toEqual(['Pre-order now', 'Reserve yours']);
  });
});
