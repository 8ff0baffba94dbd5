// A small HTTP load generator, run as its own process so it does not share the server's event loop.
//
// Closed loop (as many requests as `connections` keep in flight):
//   `node bench/load.mjs <url> <seconds> <connections> <body-template> <headers-json> [GET|POST]`
// POST bodies have `{{n}}` replaced by a unique number. A GET sends no body; its URL may list several
// paths separated by `|` (same origin), used in turn. Prints { rate, ok, failed } as JSON.
//
// Paced (open loop: requests leave on schedule whatever the answers do, so a slow answer cannot hide
// the queue it causes): `node bench/load.mjs --paced <url> <seconds> <requests-per-second> <headers-json>`
// sends GETs at that rate and measures each latency from the moment it was due.
// `node bench/load.mjs --paced-posts <url> <requests-per-second> <file>` POSTs the requests listed in the
// file (one JSON `{ "headers": {...}, "body": "...", "path"?: "..." }` a line; a path, same origin, overrides
// the URL's), each once, in order, at that rate.
// Both print { rate, offered, sent, ok, failed, statuses, failures, p50, p99, max } as JSON: `rate` the answers
// that succeeded per second, `offered` the requests sent per second, `statuses` the answers by status (or, for
// a request that got none, by its error's code), `failures` those that failed, likewise; latencies in milliseconds.
import { readFileSync } from 'node:fs';
import http from 'node:http';

const args = process.argv.slice(2);
const paced = args[0] === '--paced' || args[0] === '--paced-posts';
const posts = args[0] === '--paced-posts';
if (paced) args.shift();

// Keep-alive connections, each let go before the server's announced idle timeout (Node's agent does so only
// when given a timeout of its own): otherwise a burst that reaches for a connection idle for 5 s meets the
// server closing it, and a request is lost to ECONNRESET.
const AGENT_OPTIONS = { keepAlive: true, timeout: 60_000 };

function targets(url) {
  const [first, ...rest] = url.split('|');
  const origin = new URL(first);
  return [origin.pathname + origin.search, ...rest].map((path) => ({ host: origin.hostname, port: origin.port, path }));
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : 0;
}

if (paced) {
  const [url, secondsOrRate, rateOrFile, headersJson] = args;
  const all = targets(url);
  const requests = posts
    ? readFileSync(rateOrFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : undefined;
  const perSecond = Number(posts ? secondsOrRate : rateOrFile);
  const getHeaders = posts ? {} : JSON.parse(headersJson ?? '{}');
  const agent = new http.Agent({ ...AGENT_OPTIONS, maxSockets: 512 });
  const total = requests ? requests.length : Math.round(Number(secondsOrRate) * perSecond);
  const interval = 1000 / perSecond;
  const latencies = [];
  const statuses = {};
  const failures = {};
  let ok = 0;
  let sent = 0;
  let done = 0;
  let lastSentAt = 0;
  const started = performance.now();
  await new Promise((finish) => {
    const send = (due) => {
      const target = all[sent % all.length];
      const posted = requests?.[sent];
      sent++;
      lastSentAt = performance.now();
      const settle = (status) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status >= 200 && status < (posted ? 300 : 400)) ok++;
        else failures[status] = (failures[status] ?? 0) + 1;
        latencies.push(performance.now() - due);
        if (++done === total) finish();
      };
      const options = posted
        ? {
            ...target,
            ...(posted.path ? { path: posted.path } : {}),
            method: 'POST',
            agent,
            headers: { ...posted.headers, 'content-length': Buffer.byteLength(posted.body) },
          }
        : { ...target, method: 'GET', agent, headers: getHeaders };
      const request = http.request(options, (response) => {
        response.resume();
        response.on('end', () => settle(response.statusCode));
      });
      // A request that got no answer counts under its error's code (ECONNRESET, …), not a status.
      request.on('error', (error) => settle(error.code ?? 'error'));
      request.end(posted?.body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + sent * interval <= now) send(started + sent * interval);
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, started + sent * interval - performance.now())));
    };
    tick();
  });
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  process.stdout.write(
    JSON.stringify({
      rate: ok / elapsed,
      offered: sent / Math.max(0.001, (lastSentAt - started) / 1000),
      sent,
      ok,
      failed: done - ok,
      statuses,
      failures,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
    }),
  );
} else {
  const [url, seconds, connections, template, headersJson, method = 'POST'] = args;
  const all = targets(url);
  const agent = new http.Agent({ ...AGENT_OPTIONS, maxSockets: Number(connections) });
  const headers = method === 'POST' ? { 'content-type': 'application/json', ...JSON.parse(headersJson) } : JSON.parse(headersJson);
  const deadline = Date.now() + Number(seconds) * 1000;
  let n = 0;
  let ok = 0;
  let failed = 0;

  const send = () =>
    new Promise((resolve) => {
      const target = all[n % all.length];
      const body = method === 'POST' ? template.replaceAll('{{n}}', String(++n) + '-' + process.pid) : (n++, undefined);
      const request = http.request(
        { ...target, method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode >= 200 && response.statusCode < 300) ok++;
            else failed++;
            resolve();
          });
        },
      );
      request.on('error', () => {
        failed++;
        resolve();
      });
      request.end(body);
    });

  const loop = async () => {
    while (Date.now() < deadline) await send();
  };

  const started = Date.now();
  await Promise.all(Array.from({ length: Number(connections) }, loop));
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  process.stdout.write(JSON.stringify({ rate: ok / elapsed, ok, failed }));
}
