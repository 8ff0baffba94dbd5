/** What a deployment from before per-purpose keys left behind, for upgrade tests: made under ENCRYPTION_KEY itself. */
import { createCipheriv, randomBytes } from 'node:crypto';
import { keyId } from '../../server/keyring.ts';

/** An access token as the app stored it before keys were derived per purpose (format v1, AES-256-GCM under the raw key). */
export function legacyCiphertext(master: Buffer, storeHash: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', master, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(storeHash, 'utf8'));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', keyId(master), ...[iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url'))].join('.');
}
