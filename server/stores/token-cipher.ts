/**
 * Access tokens at rest: AES-256-GCM under the access-token key derived from ENCRYPTION_KEY (keyring.ts),
 * a fresh random 12-byte IV per encryption, the store hash as associated data (a ciphertext copied onto
 * another store's row does not decrypt), and a versioned text format `v2.<key id>.<iv>.<tag>.<data>`
 * (base64url). The key id — the first bytes of the key's SHA-256, never the key — says which key a token
 * was written with, so a rotation can read with the previous key and a wrong key is named as such
 * instead of "tampered". Format `v1` is the same under ENCRYPTION_KEY itself, as written before keys were
 * derived per purpose: it is still read, and `needsReencryption` tells reconcile to rewrite it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deriveKey, keyId, keyringOf, readableKeys, type KeySource } from '../keyring.ts';

export { keyId } from '../keyring.ts';

const FORMAT = 'v2';
/** Written under ENCRYPTION_KEY itself, before keys were derived per purpose. */
const LEGACY_FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A stored token could not be decrypted; the message names ENCRYPTION_KEY and never holds the token. */
export class TokenDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenDecryptError';
  }
}

function keyringFrom(source: KeySource | undefined) {
  const keyring = source === undefined ? undefined : keyringOf(source);
  if (!keyring || keyring.current.length !== 32 || (keyring.previous !== undefined && keyring.previous.length !== 32)) {
    throw new TokenDecryptError('ENCRYPTION_KEY is missing or not 32 bytes: access tokens cannot be encrypted or decrypted without it');
  }
  return keyring;
}

/** The AES key a format uses, given ENCRYPTION_KEY (or the previous one). */
const aesKey = (format: string, master: Buffer) => (format === LEGACY_FORMAT ? master : deriveKey(master, 'access-token'));

/** Encrypts `token` for the store `storeHash`, under the current key. */
export function encryptToken(source: KeySource | undefined, storeHash: string, token: string): string {
  const key = aesKey(FORMAT, keyringFrom(source).current);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(storeHash, 'utf8'));
  const data = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url'));
  return [FORMAT, keyId(key), ...parts].join('.');
}

/** True when `stored` was not written by `encryptToken` under the current key: reconcile rewrites it. */
export function needsReencryption(source: KeySource | undefined, stored: string): boolean {
  return !stored.startsWith(`${FORMAT}.${keyId(aesKey(FORMAT, keyringFrom(source).current))}.`);
}

/** Decrypts what `encryptToken` wrote for the same store, under the current or the previous key; throws TokenDecryptError otherwise. */
export function decryptToken(source: KeySource | undefined, storeHash: string, stored: string): string {
  const keyring = keyringFrom(source);
  const parts = stored.split('.');
  if (parts.length !== 5 || (parts[0] !== FORMAT && parts[0] !== LEGACY_FORMAT)) {
    throw new TokenDecryptError(`The stored access token of store ${storeHash} is not in a format this version reads (expected ${FORMAT})`);
  }
  const [format, storedKeyId, iv, tag, data] = parts as [string, string, string, string, string];
  const key = readableKeys(keyring)
    .map((master) => aesKey(format, master))
    .find((candidate) => keyId(candidate) === storedKeyId);
  if (!key) {
    const current = keyId(aesKey(format, keyring.current));
    throw new TokenDecryptError(
      `The access token of store ${storeHash} was encrypted with another ENCRYPTION_KEY (key id ${storedKeyId}, ` +
        `current ${current}): set that key as ENCRYPTION_KEY_PREVIOUS (or restore it), or reinstall the app in that store`,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(storeHash, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new TokenDecryptError(
      `The access token of store ${storeHash} failed authentication under the current ENCRYPTION_KEY: ` +
        'the stored value was altered or belongs to another store; reinstall the app in that store',
    );
  }
}
