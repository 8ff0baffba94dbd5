// A small HTTP load generator, run as its own process so it does not share the server's event loop:
// `node bench/load.mjs <url> <seconds> <connections> <body-template> <headers-json>`. Every request's
// body has `{{n}}` replaced by a unique number. Prints { rate, ok, failed } as JSON.
import http from 'node:http';

const [url, seconds, connections, template, headersJson] = process.argv.slice(2);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
const headers = { 'content-type': 'application/json', ...JSON.parse(headersJson) };
const deadline = Date.now() + Number(seconds) * 1000;
let n = 0;
let ok = 0;
let failed = 0;

function send() {
  return new Promise((resolve) => {
    const body = template.replaceAll('{{n}}', String(++n) + '-' + process.pid);
    const request = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => {
          response.statusCode >= 200 && response.statusCode < 300 ? ok++ : failed++;
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
}

async function loop() {
  while (Date.now() < deadline) await send();
}

const started = Date.now();
await Promise.all(Array.from({ length: Number(connections) }, loop));
const elapsed = (Date.now() - started) / 1000;
agent.destroy();
process.stdout.write(JSON.stringify({ rate: ok / elapsed, ok, failed }));
