/**
 * How the client sends a request to BigCommerce: node:http(s) over kept-alive connections, the answer's
 * body decompressed and read whole. Every order event costs an API read (and its note two more
 * exchanges); the global fetch (undici's, with its web streams) spent about 0.2 ms more CPU on each than
 * this does (`npm run bench -- webhooks`), CPU the stock engine needs in a burst. A `fetch`-shaped function
 * can stand in for it (a test or a bench counting requests).
 */
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';

export interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** What the client reads of an answer: a subset of fetch's Response. */
export interface TransportResponse {
  status: number;
  headers: Headers;
  text(): Promise<string>;
}

export type Transport = (url: string, init: TransportRequest) => Promise<TransportResponse>;

// As Node's global agents: connections kept for reuse, the most recent first, an idle one closed after 5 s
// (servers keep theirs open longer, so a request seldom goes out on a connection the server is closing; one
// that does fails as a lost connection, which the client retries for methods that may be repeated).
const AGENT_OPTIONS = { keepAlive: true, scheduling: 'lifo', timeout: 5_000 } as const;
const CLIENTS = {
  'http:': { request: http.request, agent: new http.Agent(AGENT_OPTIONS) },
  'https:': { request: https.request, agent: new https.Agent(AGENT_OPTIONS) },
};

/** Decoders of the encodings the client accepts. */
const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/**
 * Sends one request. Rejects as fetch does when no answer comes (a lost connection: the error's `code`; the
 * signal aborting: an AbortError), also while the body is still arriving.
 */
export const httpTransport: Transport = (url, { method, headers, body, signal }) => {
  const target = new URL(url);
  const client = CLIENTS[target.protocol as keyof typeof CLIENTS];
  if (!client) return Promise.reject(new TypeError(`cannot send to ${target.protocol} URLs`));
  const { request: send, agent } = client;
  const outgoing: Record<string, string | number> = { 'Accept-Encoding': 'gzip, deflate, br', ...headers };
  if (body !== undefined) outgoing['Content-Length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const request = send(target, { method, headers: outgoing, agent, ...(signal ? { signal } : {}) }, (response) => {
      try {
        const encoding = String(response.headers['content-encoding'] ?? '')
          .trim()
          .toLowerCase();
        const answer = { status: response.statusCode ?? 0, headers: headersOf(response.headers) };
        const text = readText(response, DECODERS[encoding]?.());
        // Read at once, so that an answer whose body is never asked for still frees its connection.
        text.catch(() => {});
        resolve({ ...answer, text: () => text });
      } catch (error) {
        // A header fetch's Headers refuses: the answer is not one to read.
        response.destroy();
        reject(error as Error);
      }
    });
    request.once('error', reject);
    request.end(body);
  });
};

/**
 * The body, decoded as UTF-8 (as fetch's `text()`); rejects when the connection closes before the answer is
 * whole. Plain listeners rather than stream.pipeline, whose abort signal costs an exception an answer.
 */
function readText(response: http.IncomingMessage, decoder: NodeJS.ReadWriteStream | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const body = decoder ? response.pipe(decoder) : response;
    response.once('close', () => {
      if (!response.complete) reject(new Error('the connection closed before the answer was whole'));
    });
    body.on('error', reject);
    body.on('data', (chunk: Buffer) => chunks.push(chunk));
    body.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function headersOf(incoming: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}
