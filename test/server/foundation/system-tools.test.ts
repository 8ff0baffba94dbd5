/**
 * System tools on a machine without apt-get: the message names the package to install, so a newcomer on
 * another distribution knows what to ask their package manager for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureSystemTools, type SystemTool } from '../../../scripts/lib/system.ts';

const savedPath = process.env.PATH;
let emptyDir: string | undefined;
afterEach(() => {
  process.env.PATH = savedPath;
  if (emptyDir) rmSync(emptyDir, { recursive: true, force: true });
});

const missingTool: SystemTool = { name: 'frobnicator', aptPackage: 'frobnicator-server', locate: () => undefined };

describe('system tools', () => {
  it('when a tool is missing and apt-get is not on PATH, then the error names the package to install and nothing is run', () => {
    emptyDir = mkdtempSync(path.join(tmpdir(), 'backorder-no-apt-'));
    process.env.PATH = emptyDir;
    const logged: string[] = [];

    expect(() => ensureSystemTools([missingTool], (line) => logged.push(line))).toThrow(
      "Missing: frobnicator. Install the package(s) frobnicator-server with your system's package manager.",
    );
    expect(logged).toEqual([]);
  });

  it('when every tool is found, then their locations come back without apt-get', () => {
    emptyDir = mkdtempSync(path.join(tmpdir(), 'backorder-no-apt-'));
    process.env.PATH = emptyDir;
    const found: SystemTool = { name: 'here', aptPackage: 'here', locate: () => '/opt/here/bin' };
    expect(ensureSystemTools([found], () => undefined)).toEqual(['/opt/here/bin']);
  });
});
