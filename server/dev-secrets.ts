/**
 * Development mode needs secrets too (the token cipher; the app's client credentials, which a local
 * stand-in for BigCommerce such as the sandbox store signs with). When none are configured they are
 * generated once and kept in the data folder, so a restart can still decrypt what the previous run stored.
 * Production never comes here: config.ts refuses to start without real ones.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.ts';

interface StoredSecrets {
  clientId: string;
  clientSecret: string;
  encryptionKey: string;
}

export interface DevelopmentSecrets {
  config: Config;
  /** The file the secrets came from, when any came from it. */
  file: string | undefined;
  created: boolean;
}

/** Fills the secrets the environment left unset from `<dataDir>/dev-secrets.json`, creating it once. */
export async function withDevelopmentSecrets(config: Config): Promise<DevelopmentSecrets> {
  if (config.mode === 'production') return { config, file: undefined, created: false };
  const needsApp = config.clientId === undefined;
  if (!needsApp && config.encryptionKey !== undefined) return { config, file: undefined, created: false };

  const file = path.join(config.dataDir, 'dev-secrets.json');
  let stored = await readSecrets(file);
  const created = stored === undefined;
  if (stored === undefined) {
    stored = {
      clientId: `dev-${randomBytes(8).toString('hex')}`,
      clientSecret: randomBytes(32).toString('hex'),
      encryptionKey: randomBytes(32).toString('hex'),
    };
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    config: {
      ...config,
      clientId: config.clientId ?? stored.clientId,
      clientSecret: config.clientSecret ?? stored.clientSecret,
      encryptionKey: config.encryptionKey ?? Buffer.from(stored.encryptionKey, 'hex'),
    },
    file,
    created,
  };
}

async function readSecrets(file: string): Promise<StoredSecrets | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StoredSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file} is unreadable (${(error as Error).message}); delete it to generate new development secrets`, { cause: error });
  }
}
