/**
 * A free loopback TCP port for a server that is about to be started, often by another process. Picked at
 * random below the kernel's ephemeral range: the kernel gives ports from that range to every `listen(0)`
 * and every outgoing connection, so a port found free there could be handed to someone else before the
 * server listens on it (seen: "Port … is already in use" when `npm start` started its own servers between a
 * bench's pick and the app's listen). Below it, only another explicit pick can take it.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 20_000;

/** The last port before the kernel's ephemeral range (Linux's own setting; elsewhere below IANA's 49152). */
function highest(): number {
  try {
    const [first] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (first && first > LOWEST + 1_000) return first - 1;
  } catch {
    // not Linux
  }
  return 32_767;
}

const HIGHEST = highest();
/** Ports this process handed out: never twice. */
const given = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST + 1));
    if (given.has(port) || !(await canListen(port))) continue;
    given.add(port);
    return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${HIGHEST} after 100 tries`);
}
