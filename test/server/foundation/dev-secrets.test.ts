import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { withDevelopmentSecrets } from '../../../server/dev-secrets.ts';
import { useTempFolders } from '../../helpers/temp-folders.ts';

const tempFolder = useTempFolders();

describe('development secrets', () => {
  it('when none are configured, then they are generated once and the next start reuses them', async () => {
    const dataDir = await tempFolder('secrets-');
    const first = await withDevelopmentSecrets(loadConfig({ DATA_DIR: dataDir }));
    const second = await withDevelopmentSecrets(loadConfig({ DATA_DIR: dataDir }));

    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.config.clientSecret).toBe(first.config.clientSecret);
    expect(second.config.encryptionKey?.equals(first.config.encryptionKey!)).toBe(true);
    expect(first.config.encryptionKey).toHaveLength(32);
    expect((await stat(path.join(dataDir, 'dev-secrets.json'))).mode & 0o077).toBe(0);
  });

  it('when secrets are configured, then the configured ones win and nothing is written', async () => {
    const dataDir = await tempFolder('secrets-');
    const key = 'b'.repeat(64);
    const result = await withDevelopmentSecrets(loadConfig({ DATA_DIR: dataDir, CLIENT_ID: 'id', CLIENT_SECRET: 's', ENCRYPTION_KEY: key }));
    expect(result.file).toBeUndefined();
    expect(result.config.clientId).toBe('id');
    await expect(readFile(path.join(dataDir, 'dev-secrets.json'))).rejects.toThrow(/ENOENT/);
  });

  it('in production, then nothing is generated', async () => {
    const config = { ...loadConfig({}), mode: 'production' as const };
    const result = await withDevelopmentSecrets(config);
    expect(result.config).toBe(config);
  });
});
