/**
 * Access tokens at rest: AES-256-GCM under ENCRYPTION_KEY, a fresh random 12-byte IV per encryption, the
 * store hash as associated data (a ciphertext copied onto another store's row does not decrypt), and a
 * versioned text format `v1.<key id>.<iv>.<tag>.<data>` (base64url). The key id — the first bytes of the
 * key's SHA-256, never the key — says which key a token was written with, so keys can be rotated later
 * (decrypt with the old, encrypt with the new) and a wrong key is named as such instead of "tampered".
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A stored token could not be decrypted; the message names ENCRYPTION_KEY and never holds the token. */
export class TokenDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenDecryptError';
  }
}

/** A short, non-secret fingerprint of the key, stored next to each ciphertext. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function assertKey(key: Buffer | undefined): asserts key is Buffer {
  if (!key || key.length !== 32) {
    throw new TokenDecryptError('ENCRYPTION_KEY is missing or not 32 bytes: access tokens cannot be encrypted or decrypted without it');
  }
}

/** Encrypts `token` for the store `storeHash`. */
export function encryptToken(key: Buffer | undefined, storeHash: string, token: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(storeHash, 'utf8'));
  const data = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url'));
  return [FORMAT, keyId(key), ...parts].join('.');
}

/** Decrypts what `encryptToken` wrote for the same store; throws TokenDecryptError otherwise. */
export function decryptToken(key: Buffer | undefined, storeHash: string, stored: string): string {
  assertKey(key);
  const parts = stored.split('.');
  if (parts.length !== 5 || parts[0] !== FORMAT) {
    throw new TokenDecryptError(`The stored access token of store ${storeHash} is not in a format this version reads (expected ${FORMAT})`);
  }
  const [, storedKeyId, iv, tag, data] = parts as [string, string, string, string, string];
  if (storedKeyId !== keyId(key)) {
    throw new TokenDecryptError(
      `The access token of store ${storeHash} was encrypted with another ENCRYPTION_KEY (key id ${storedKeyId}, ` +
        `current ${keyId(key)}): restore the previous ENCRYPTION_KEY, or reinstall the app in that store`,
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
