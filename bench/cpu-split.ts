/**
 * Where a run's CPU went, by part of the system: this process (the app with its workers), its children (the
 * sandbox store, the load tool), the benchmark's PostgreSQL (its postmaster and every backend) and its Redis.
 * Read from /proc before and after; processes that start or end in between count from when they are seen.
 * The machine has 2 cores: the sum says how much of them one order costs, whatever the lag does.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const TICKS_PER_SECOND = 100;

interface ProcessTimes {
  pid: number;
  ppid: number;
  /** When it started (clock ticks since boot): a pid seen again with another start time is another process. */
  startedAt: number;
  cpuMs: number;
  cmdline: string;
}

function readProcess(pid: number): ProcessTimes | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields start after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return { pid, ppid: Number(fields[1]), startedAt: Number(fields[19]), cpuMs: (ticks * 1000) / TICKS_PER_SECOND, cmdline };
  } catch {
    return undefined; // ended while read
  }
}

function allProcesses(): Map<number, ProcessTimes> {
  const found = new Map<number, ProcessTimes>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const times = readProcess(Number(name));
    if (times) found.set(times.pid, times);
  }
  return found;
}

/** Which part of the run a process belongs to, or undefined when it is not the run's. */
function partOf(process_: ProcessTimes, all: Map<number, ProcessTimes>, ports: { postgres: number; redis: number }): string | undefined {
  if (process_.pid === process.pid) return 'app';
  if (process_.cmdline.includes('redis-server') && process_.cmdline.includes(`:${ports.redis}`)) return 'redis';
  if (process_.ppid === process.pid) return process_.cmdline.includes('sandbox') ? 'sandbox' : process_.cmdline.includes('load.mjs') ? 'load' : undefined;
  const postmaster = (p: ProcessTimes | undefined) => p !== undefined && /postgres/.test(p.cmdline) && p.cmdline.includes(`-p ${ports.postgres}`);
  if (postmaster(process_) || postmaster(all.get(process_.ppid))) return 'postgres';
  return undefined;
}

export type CpuSnapshot = Map<number, ProcessTimes>;

/** Every process's CPU time now. */
export function cpuSnapshot(): CpuSnapshot {
  return allProcesses();
}

/** CPU milliseconds spent since `before`, by part (app, sandbox, load, postgres, redis). */
export function cpuSince(before: CpuSnapshot, ports: { postgres: number; redis: number }): Record<string, number> {
  const after = allProcesses();
  const spent: Record<string, number> = {};
  for (const [pid, now] of after) {
    const part = partOf(now, after, ports);
    if (!part) continue;
    const then = before.get(pid);
    // Not the command line: a PostgreSQL backend retitles itself with each statement (`idle`, `SELECT`, …).
    spent[part] = (spent[part] ?? 0) + now.cpuMs - (then && then.startedAt === now.startedAt ? then.cpuMs : 0);
  }
  return spent;
}

/** The port of a postgres:// or redis:// URL. */
export function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Starts profiling this process's CPU; the function returned stops and writes the profile to a file. */
export async function startProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
