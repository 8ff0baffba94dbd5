/**
 * System packages the project needs (redis-server, PostgreSQL, Chromium), found on PATH or in their
 * Debian locations, and installed through apt-get when missing and possible. Where apt-get is not
 * available the message names the package to install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface SystemTool {
  /** What the program is called, for messages. */
  name: string;
  /** The Debian package that provides it. */
  aptPackage: string;
  /** Where the program is, or undefined. */
  locate(): string | undefined;
}

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export const redisServer: SystemTool = {
  name: 'redis-server',
  aptPackage: 'redis-server',
  locate: () => onPath('redis-server'),
};

/** The folder holding initdb and postgres (newest installed major version). */
export const postgresServer: SystemTool = {
  name: 'PostgreSQL server (initdb, postgres)',
  aptPackage: 'postgresql',
  locate: () => {
    const base = '/usr/lib/postgresql';
    if (existsSync(base)) {
      const versions = readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a));
      if (versions[0]) return path.join(base, versions[0], 'bin');
    }
    const initdb = onPath('initdb');
    return initdb && onPath('postgres') ? path.dirname(initdb) : undefined;
  },
};

export const chromium: SystemTool = {
  name: 'Chromium',
  aptPackage: 'chromium',
  locate: () => ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)),
};

/** Returns each tool's location, installing the missing ones with apt-get in one go. */
export function ensureSystemTools(tools: SystemTool[], log: (line: string) => void = console.log): string[] {
  const missing = tools.filter((tool) => tool.locate() === undefined);
  if (missing.length > 0) {
    const packages = missing.map((tool) => tool.aptPackage);
    if (!onPath('apt-get')) {
      throw new Error(`Missing: ${missing.map((t) => t.name).join(', ')}. Install the package(s) ${packages.join(' ')} with your system's package manager.`);
    }
    const isRoot = process.getuid?.() === 0;
    if (!isRoot && !onPath('sudo')) {
      throw new Error(`Missing: ${packages.join(' ')}. Run as root, or install them: apt-get install ${packages.join(' ')}`);
    }
    log(`installing ${packages.join(', ')} with apt-get (one time) ...`);
    const [program, ...prefix] = isRoot ? ['apt-get'] : ['sudo', 'apt-get'];
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    // Another apt-get (a second `npm test` or `npm start`, the machine's own updates) holds dpkg's lock for a
    // while: wait for it rather than fail.
    const waitForLock = ['-o', 'DPkg::Lock::Timeout=600'];
    const apt = (args: string[]) => spawnSync(program!, [...prefix, ...waitForLock, ...args], { stdio: 'inherit', env }).status;
    // A fresh machine often has no package lists yet; install may fail until they are fetched.
    if (apt(['install', '-y', ...packages]) !== 0) {
      if (apt(['update']) !== 0 || apt(['install', '-y', ...packages]) !== 0) {
        throw new Error(`apt-get could not install ${packages.join(' ')}; install them by hand and try again`);
      }
    }
  }
  return tools.map((tool) => {
    const location = tool.locate();
    if (!location) throw new Error(`${tool.name} is still missing after installing ${tool.aptPackage}`);
    return location;
  });
}
