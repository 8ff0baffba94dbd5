/**
 * The "selling stopped" message: BigCommerce shows it on a variant whose selling the app stopped. The merchant
 * words it on Settings; a new wording reaches the variants stopped already, and never a variant the merchant
 * disabled with a text of their own. Against the sandbox store, through the admin's form as a browser posts it.
 */
import { describe, expect, it } from 'vitest';
import { queueReconcile } from '../../../server/reconcile/reconcile.jobs.ts';
import { DEFAULT_SETTINGS } from '../../../server/settings/settings.schema.ts';
import { getSettings, updateSettings } from '../../../server/settings/settings.service.ts';
import { adminClient } from '../../helpers/admin-pages.ts';
import { assignInSandbox, useInstalledApp } from '../../helpers/installed-app.ts';
import { settingsForm } from '../../helpers/settings-form.ts';
import { ownerSession } from '../../helpers/strict-store.ts';

const installed = useInstalledApp();
const store = () => installed.sandbox.store(installed.storeHash);
const FIELD = 'inventory.sellingStoppedMessage';

/** Posts the Settings form as it stands, with `message` typed into the field. */
async function saveMessage(message: string) {
  const admin = adminClient(installed.app.url, await ownerSession(installed));
  const form = settingsForm((await admin.get('/admin/settings')).html);
  return admin.post('/admin/settings', Object.fromEntries(form.post({ [FIELD]: message })));
}

const messageOn = (productId: number, variantId: number) => store().purchasability(productId, variantId).message;

describe('the "selling stopped" message', () => {
  it('when the merchant words it anew on Settings, then the variants the app stopped show the new text, and a variant the merchant disabled keeps its own', async () => {
    const gloves = store().product(129) as { variants: Array<{ id: number }> };
    const [medium, large] = gloves.variants.map((v) => v.id) as [number, number];
    store().updateVariant(129, large, { purchasing_disabled: true, purchasing_disabled_message: 'Large is discontinued' });
    await assignInSandbox(installed, 129, { threshold: 1, stock: 0 });

    store().placeOrder({ lines: [{ productId: 129, variantId: medium, quantity: 1 }] });
    const stoppedWith = DEFAULT_SETTINGS.inventory.sellingStoppedMessage;
    await expect.poll(() => messageOn(129, medium), { timeout: 30_000, interval: 100 }).toBe(stoppedWith);
    const admin = adminClient(installed.app.url, await ownerSession(installed));
    expect(settingsForm((await admin.get('/admin/settings')).html).value(FIELD)).toBe(stoppedWith);

    const saved = await saveMessage('  Gloves are back in May  ');
    expect(saved.status).toBe(303);
    expect((await getSettings(installed.app.database.db, installed.storeHash)).inventory.sellingStoppedMessage).toBe('Gloves are back in May');
    await expect.poll(() => messageOn(129, medium), { timeout: 30_000, interval: 100 }).toBe('Gloves are back in May');
    expect(store().purchasability(129, medium).purchasable).toBe(false);
    expect(messageOn(129, large)).toBe('Large is discontinued');
    const holds = await installed.app.database.db
      .selectFrom('purchasing_holds')
      .select(['variant_id', 'message'])
      .where('store_hash', '=', installed.storeHash)
      .where('product_id', '=', 129)
      .where('lifted_at', 'is', null)
      .orderBy('variant_id')
      .execute();
    expect(holds).toEqual([
      { variant_id: medium, message: 'Gloves are back in May' },
      { variant_id: large, message: null },
    ]);
  }, 90_000);

  it('when a new wording was saved but its checks were lost (Redis away), then the nightly reconcile finds the stopped items and words them anew', async () => {
    await assignInSandbox(installed, 116, { threshold: 1, stock: 0 });
    const variant = (store().product(116) as { variants: Array<{ id: number }> }).variants[0]!.id;
    store().placeOrder({ lines: [{ productId: 116, quantity: 1 }] });
    const current = (await getSettings(installed.app.database.db, installed.storeHash)).inventory.sellingStoppedMessage;
    await expect.poll(() => messageOn(116, variant), { timeout: 30_000, interval: 100 }).toBe(current);

    // Saved without the route, as if the checks it queues had been lost with Redis.
    await updateSettings(installed.app.database.db, installed.storeHash, { inventory: { sellingStoppedMessage: 'Restocking soon' } });
    await queueReconcile(installed.app.queues.reconcile, installed.storeHash);
    await expect.poll(() => messageOn(116, variant), { timeout: 60_000, interval: 100 }).toBe('Restocking soon');
    const run = await installed.app.database.db
      .selectFrom('reconcile_runs')
      .selectAll()
      .where('store_hash', '=', installed.storeHash)
      .where('finished_at', 'is not', null)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(run.fixes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\d+ stopped items? showing an earlier "selling stopped" message — worded anew$/)]),
    );
  }, 90_000);

  it('when the message is emptied or runs past 255 characters, then the page names the field, keeps what was typed and saves nothing', async () => {
    const before = (await getSettings(installed.app.database.db, installed.storeHash)).inventory.sellingStoppedMessage;
    for (const typed of ['   ', 'x'.repeat(256)]) {
      const refused = await saveMessage(typed);
      expect(refused.status).toBe(422);
      expect(refused.html).toContain('<strong>Message when selling stops</strong>');
      expect(settingsForm(refused.html).value(FIELD)).toBe(typed);
      expect((await getSettings(installed.app.database.db, installed.storeHash)).inventory.sellingStoppedMessage).toBe(before);
    }
  });
});
