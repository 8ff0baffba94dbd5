import { createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKey } from '../../../server/keyring.ts';
import { legacyCiphertext } from '../../helpers/legacy-keys.ts';
import { decryptToken, encryptToken, keyId, needsReencryption, TokenDecryptError } from '../../../server/stores/token-cipher.ts';

const key = randomBytes(32);
const token = 'tok-0123456789abcdefghijklmnop';

/** Flips one bit of the base64url part `index` of a stored token. */
function tamper(stored: string, index: number): string {
  const parts = stored.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0]! ^= 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('access tokens at rest', () => {
  it('when a token is encrypted, then it decrypts back, and the stored text holds neither token nor key', () => {
    const stored = encryptToken(key, 'abc123', token);
    expect(stored).toMatch(/^v2\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(key.toString('hex'));
    // Written under the access-token key derived from ENCRYPTION_KEY, not under ENCRYPTION_KEY itself.
    expect(stored.split('.')[1]).toBe(keyId(deriveKey(key, 'access-token')));
    expect(stored.split('.')[1]).not.toBe(keyId(key));
    expect(decryptToken(key, 'abc123', stored)).toBe(token);
  });

  it('when the same token is encrypted twice, then a fresh IV makes the two ciphertexts differ', () => {
    const a = encryptToken(key, 'abc123', token);
    const b = encryptToken(key, 'abc123', token);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.split('.')[2]!, 'base64url')).toHaveLength(12);
  });

  it.each([
    ['the IV', 2],
    ['the auth tag', 3],
    ['the ciphertext', 4],
  ])('when %s is altered, then decryption fails naming ENCRYPTION_KEY, never returning garbage', (_what, index) => {
    const stored = tamper(encryptToken(key, 'abc123', token), index);
    expect(() => decryptToken(key, 'abc123', stored)).toThrow(TokenDecryptError);
    expect(() => decryptToken(key, 'abc123', stored)).toThrow(/failed authentication under the current ENCRYPTION_KEY/);
  });

  it('when a ciphertext is copied onto another store, then it does not decrypt there', () => {
    const stored = encryptToken(key, 'store1', token);
    expect(() => decryptToken(key, 'store2', stored)).toThrow(/belongs to another store/);
  });

  it('when ENCRYPTION_KEY changed since the token was stored, then the error says so, with both key ids', () => {
    const stored = encryptToken(key, 'abc123', token);
    const other = randomBytes(32);
    expect(() => decryptToken(other, 'abc123', stored)).toThrow(
      new RegExp(
        `encrypted with another ENCRYPTION_KEY \\(key id ${keyId(deriveKey(key, 'access-token'))}, current ${keyId(deriveKey(other, 'access-token'))}\\)`,
      ),
    );
  });

  it('when the key is missing or the format unknown, then the error says what is wrong', () => {
    expect(() => encryptToken(undefined, 'abc123', token)).toThrow(/ENCRYPTION_KEY is missing or not 32 bytes/);
    expect(() => decryptToken(key, 'abc123', 'iv.tag.data')).toThrow(/not in a format this version reads/);
  });
});

describe('one key per purpose, and rotation', () => {
  it('when a token is stored, then ENCRYPTION_KEY itself does not decrypt it: only the key derived for tokens does', () => {
    const [, , iv, tag, data] = encryptToken(key, 'abc123', token).split('.') as [string, string, string, string, string];
    const withRawKey = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    withRawKey.setAAD(Buffer.from('abc123'));
    withRawKey.setAuthTag(Buffer.from(tag, 'base64url'));
    expect(() => Buffer.concat([withRawKey.update(Buffer.from(data, 'base64url')), withRawKey.final()])).toThrow();
    expect(deriveKey(key, 'access-token').equals(deriveKey(key, 'webhook-secret'))).toBe(false);
  });

  it('when a token was stored before the upgrade (under the raw key), then it still decrypts and is marked for re-encryption', () => {
    const legacy = legacyCiphertext(key, 'abc123', token);
    expect(decryptToken(key, 'abc123', legacy)).toBe(token);
    expect(needsReencryption(key, legacy)).toBe(true);
    const rewritten = encryptToken(key, 'abc123', decryptToken(key, 'abc123', legacy));
    expect(needsReencryption(key, rewritten)).toBe(false);
  });

  it('when ENCRYPTION_KEY was rotated, then tokens of the previous key decrypt while ENCRYPTION_KEY_PREVIOUS is set, and not after', () => {
    const old = randomBytes(32);
    const fresh = randomBytes(32);
    const underOld = encryptToken(old, 'abc123', token);
    const legacyUnderOld = legacyCiphertext(old, 'abc123', token);
    const rotating = { current: fresh, previous: old };
    expect(decryptToken(rotating, 'abc123', underOld)).toBe(token);
    expect(decryptToken(rotating, 'abc123', legacyUnderOld)).toBe(token);
    expect(needsReencryption(rotating, underOld)).toBe(true);
    const rewritten = encryptToken(rotating, 'abc123', token);
    expect(needsReencryption(rotating, rewritten)).toBe(false);
    expect(decryptToken(fresh, 'abc123', rewritten)).toBe(token);
    expect(() => decryptToken(fresh, 'abc123', underOld)).toThrow(/set that key as ENCRYPTION_KEY_PREVIOUS/);
  });
});
