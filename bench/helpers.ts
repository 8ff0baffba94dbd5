/** Shared set-up for benchmarks. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../test/helpers/config.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

const LOAD = path.resolve(import.meta.dirname, 'load.mjs');

/** A new, empty database on the benchmark's PostgreSQL server; the app migrates it on start. */
export async function freshDatabaseUrl(adminUrl: string): Promise<string> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs bench/load.mjs (its own process) with these arguments; its JSON report, refused if any request failed. */
function runLoad<T extends { failed: number }>(args: string[], what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOAD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      try {
        const result = JSON.parse(out) as T;
        if (result.failed > 0) throw new Error(`${result.failed} requests failed`);
        resolve(result);
      } catch (error) {
        reject(new Error(`load (exit ${code}) against ${what}: ${(error as Error).message}`));
      }
    });
  });
}

/**
 * Requests per second a closed loop of `connections` reaches against `url` (POST with `body`, `{{n}}` made
 * unique; or GET, where `url` may list several same-origin paths separated by `|`).
 */
export async function loadRate(
  url: string,
  body: string,
  headers: Record<string, string>,
  seconds: number,
  connections = 32,
  method: 'GET' | 'POST' = 'POST',
): Promise<number> {
  const result = await runLoad<{ rate: number; failed: number }>([url, String(seconds), String(connections), body, JSON.stringify(headers), method], url);
  return result.rate;
}

/** GETs sent at `perSecond` whatever the answers do (open loop); latencies in ms, from when each was due. */
export function pacedLoad(url: string, perSecond: number, seconds: number, headers: Record<string, string> = {}) {
  return runLoad<{ rate: number; ok: number; failed: number; p50: number; p99: number; max: number }>(
    ['--paced', url, String(seconds), String(perSecond), JSON.stringify(headers)],
    url,
  );
}

/** Starts bench/sandbox-process.ts; resolves with its URL and a stop function. */
export async function sandboxProcess(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'sandbox-process.ts')], {
    env: { ...process.env, SANDBOX_CLIENT_ID: TEST_CLIENT_ID, SANDBOX_CLIENT_SECRET: TEST_CLIENT_SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code})`)));
  });
  return {
    url,
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

export async function control<T>(base: string, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}/__sandbox${route}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`sandbox ${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

