/**
 * ENCRYPTION_KEY over a deployment's life, against the sandbox store and the real `npm run reconcile`
 * command: the upgrade from one key doing two jobs (tokens encrypted and hooks registered under the raw
 * key) to a key per purpose, and a rotation with ENCRYPTION_KEY_PREVIOUS. In both, deliveries keep
 * arriving throughout, and once reconcile has run the old secret opens nothing.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createBigCommerceClient } from '../../../server/bigcommerce/client.ts';
import { legacyWebhookSecretFor, WEBHOOK_SECRET_HEADER, webhookSecretKeyId } from '../../../server/bigcommerce/index.ts';
import { MemoryRateLimitState } from '../../../server/bigcommerce/rate-limit.ts';
import { deriveKey, keyId } from '../../../server/keyring.ts';
import { accessTokenFor } from '../../../server/stores/stores.service.ts';
import { encryptToken } from '../../../server/stores/token-cipher.ts';
import { webhookSecretFor } from '../../../server/bigcommerce/index.ts';
import { WEBHOOK_PATH } from '../../../server/registration/registration.service.ts';
import { installedApp, type InstalledApp } from '../../helpers/installed-app.ts';
import { legacyCiphertext } from '../../helpers/legacy-keys.ts';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../../helpers/config.ts';
import { spawnNode } from '../../helpers/processes.ts';

let installed: InstalledApp | undefined;
afterEach(async () => {
  await installed?.stop();
  installed = undefined;
});

const storeRow = (i: InstalledApp) => i.app.database.db.selectFrom('stores').selectAll().where('store_hash', '=', i.storeHash).executeTakeFirstOrThrow();

/** Puts the store in the state an older deployment left: its token stored as `ciphertext`, its hooks carrying `secret`. */
async function storeLeftAs(i: InstalledApp, state: { ciphertext: (token: string) => string; secret: string; recorded: string | null }) {
  const token = await accessTokenFor(i.app.database.db, i.app.config.encryptionKey, i.storeHash);
  await i.app.database.db
    .updateTable('stores')
    .set({ access_token_ciphertext: state.ciphertext(token), webhook_secret_key_id: state.recorded })
    .where('store_hash', '=', i.storeHash)
    .execute();
  const client = createBigCommerceClient({ storeHash: i.storeHash, accessToken: token, apiUrl: i.sandbox.url, rateLimitState: new MemoryRateLimitState() });
  for await (const hook of client.hooks.all()) await client.hooks.update(hook.id, { headers: { [WEBHOOK_SECRET_HEADER]: state.secret } });
}

/** Changes a product in BigCommerce and returns the status the app answered its delivery with. */
async function deliveryStatus(i: InstalledApp): Promise<number | null> {
  const store = i.sandbox.store(i.storeHash);
  const product = store.product(100) as { name: string };
  store.updateProduct(100, { name: `${product.name}!` });
  await i.sandbox.webhooksIdle();
  const mine = store.deliveries().filter((d) => d.scope === 'store/product/updated');
  return mine[mine.length - 1]!.status;
}

/** Posts a genuine-looking delivery to the app with `secret` in the header. */
async function postWithSecret(i: InstalledApp, secret: string): Promise<number> {
  const payload = i.sandbox.store(i.storeHash).deliveries().at(-1)!.payload;
  const body = JSON.stringify({ ...payload, created_at: payload.created_at + 1 });
  const response = await fetch(`${i.app.url}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [WEBHOOK_SECRET_HEADER]: secret },
    body,
  });
  return response.status;
}

/** Runs `npm run reconcile`'s script against the test's database, Redis and sandbox. */
async function runReconcileCommand(i: InstalledApp, keys: { current: Buffer; previous?: Buffer }) {
  const run = spawnNode(['--import', 'tsx', 'scripts/reconcile.ts'], {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: i.app.config.databaseUrl,
    REDIS_URL: i.app.config.redisUrl,
    QUEUE_PREFIX: i.app.config.queuePrefix,
    CLIENT_ID: TEST_CLIENT_ID,
    CLIENT_SECRET: TEST_CLIENT_SECRET,
    ENCRYPTION_KEY: keys.current.toString('hex'),
    ENCRYPTION_KEY_PREVIOUS: keys.previous?.toString('hex') ?? '',
    APP_URL: i.app.url,
    BC_API_URL: i.sandbox.url,
    BC_LOGIN_URL: i.sandbox.url,
    LOG_LEVEL: 'warn',
  });
  const code = await run.exited;
  return { code, output: run.output() };
}

describe('one key per purpose, and its rotation', () => {
  it('when a store is installed, then its token is written under the derived token key and its hooks’ secret is recorded', async () => {
    const key = randomBytes(32);
    installed = await installedApp({ config: { encryptionKey: key } });
    const store = await storeRow(installed);
    expect(store.access_token_ciphertext!.split('.').slice(0, 2)).toEqual(['v2', keyId(deriveKey(key, 'access-token'))]);
    expect(store.webhook_secret_key_id).toBe(webhookSecretKeyId(key));
    expect(
      installed.sandbox
        .store(installed.storeHash)
        .hooks()
        .every((h) => (h.headers as Record<string, string>)[WEBHOOK_SECRET_HEADER] === webhookSecretFor(installed!.storeHash, key)),
    ).toBe(true);
    expect(webhookSecretFor(installed.storeHash, key)).not.toBe(legacyWebhookSecretFor(installed.storeHash, key));
  }, 90_000);

  it('when a deployment from before upgrades, then its old token and hook secret keep working until reconcile rewrites them, and the old secret is refused after', async () => {
    const key = randomBytes(32);
    installed = await installedApp({ config: { encryptionKey: key } });
    const legacySecret = legacyWebhookSecretFor(installed.storeHash, key);
    await storeLeftAs(installed, { ciphertext: (token) => legacyCiphertext(key, installed!.storeHash, token), secret: legacySecret, recorded: null });
    expect(await deliveryStatus(installed)).toBe(200);

    const { code, output } = await runReconcileCommand(installed, { current: key });
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toMatch(/re-encrypted under the current ENCRYPTION_KEY/);
    expect(output).toMatch(/webhook store\/product\/updated differed \(headers\) — updated/);

    const store = await storeRow(installed);
    expect(store.access_token_ciphertext!.startsWith(`v2.${keyId(deriveKey(key, 'access-token'))}.`)).toBe(true);
    expect(store.webhook_secret_key_id).toBe(webhookSecretKeyId(key));
    expect(await deliveryStatus(installed)).toBe(200);
    expect(await postWithSecret(installed, legacySecret)).toBe(401);
  }, 90_000);

  it('when ENCRYPTION_KEY is rotated with ENCRYPTION_KEY_PREVIOUS, then nothing stops, reconcile moves everything to the new key, and the previous one can go', async () => {
    const previous = randomBytes(32);
    const current = randomBytes(32);
    installed = await installedApp({ config: { encryptionKey: current, previousEncryptionKey: previous } });
    const previousSecret = webhookSecretFor(installed.storeHash, previous);
    // As the deployment left the store under the previous key: token, hooks and the record.
    await storeLeftAs(installed, {
      ciphertext: (token) => encryptToken(previous, installed!.storeHash, token),
      secret: previousSecret,
      recorded: webhookSecretKeyId(previous),
    });
    expect(await deliveryStatus(installed)).toBe(200);

    const rotated = await runReconcileCommand(installed, { current, previous });
    expect(rotated).toMatchObject({ code: 0 });
    expect(rotated.output).toMatch(/re-encrypted under the current ENCRYPTION_KEY/);
    const store = await storeRow(installed);
    expect(store.access_token_ciphertext!.startsWith(`v2.${keyId(deriveKey(current, 'access-token'))}.`)).toBe(true);
    expect(store.webhook_secret_key_id).toBe(webhookSecretKeyId(current));
    expect(await deliveryStatus(installed)).toBe(200);
    expect(await postWithSecret(installed, previousSecret)).toBe(401);

    // ENCRYPTION_KEY_PREVIOUS removed: everything reads under the new key alone.
    const after = await runReconcileCommand(installed, { current });
    expect(after).toMatchObject({ code: 0 });
    expect(after.output).not.toMatch(/failed/);
  }, 120_000);
});
