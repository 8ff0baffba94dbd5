/**
 * What ENCRYPTION_KEY stands for. One key does one job: HKDF-SHA256 derives from it, one label each, the
 * AES-256-GCM key of stored access tokens and the HMAC key of the stores' webhook secrets (the admin's
 * session keys are derived the same way in http/admin-session.ts). Before this, ENCRYPTION_KEY itself
 * did both jobs; what it made then (tokens in format v1, hooks registered with the "legacy" secret) is
 * still read until reconcile rewrites it.
 *
 * Rotation: ENCRYPTION_KEY is the new key, ENCRYPTION_KEY_PREVIOUS the old one, read only — tokens it
 * encrypted still decrypt and hooks registered with its secret still deliver — until `npm run reconcile`
 * has re-encrypted every token and re-registered every hook under the new key.
 */
import { createHash, hkdfSync } from 'node:crypto';
import type { Config } from './config.ts';

export interface Keyring {
  /** ENCRYPTION_KEY: everything is written with it. */
  current: Buffer;
  /** ENCRYPTION_KEY_PREVIOUS, during a rotation: read only. */
  previous?: Buffer | undefined;
}

/** A Buffer stands for ENCRYPTION_KEY alone (no rotation under way). */
export type KeySource = Keyring | Buffer;

export type KeyPurpose = 'access-token' | 'webhook-secret';

const LABELS: Record<KeyPurpose, string> = {
  'access-token': 'backorder access token v1',
  'webhook-secret': 'backorder webhook secret v1',
};

const derived = new WeakMap<Buffer, Map<KeyPurpose, Buffer>>();

/** The key for one purpose, derived from ENCRYPTION_KEY (or the previous one) with HKDF-SHA256. */
export function deriveKey(master: Buffer, purpose: KeyPurpose): Buffer {
  let byPurpose = derived.get(master);
  if (!byPurpose) derived.set(master, (byPurpose = new Map()));
  let key = byPurpose.get(purpose);
  if (!key) byPurpose.set(purpose, (key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), LABELS[purpose], 32))));
  return key;
}

/** A short, non-secret fingerprint of a key, stored next to what it made so the right key can be found. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** The keyring of a KeySource. */
export function keyringOf(source: KeySource): Keyring {
  return Buffer.isBuffer(source) ? { current: source } : source;
}

/** The keyring the configuration gives, or undefined without ENCRYPTION_KEY. */
export function configuredKeyring(config: Pick<Config, 'encryptionKey' | 'previousEncryptionKey'>): Keyring | undefined {
  if (!config.encryptionKey) return undefined;
  return { current: config.encryptionKey, previous: config.previousEncryptionKey };
}

/** The keys to read with, current first. */
export function readableKeys(keyring: Keyring): Buffer[] {
  return keyring.previous ? [keyring.current, keyring.previous] : [keyring.current];
}
