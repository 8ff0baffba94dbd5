import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { httpTransport } from '../../../server/bigcommerce/transport.ts';
import { listen, type Listening } from '../../helpers/http.ts';

let server: Listening | undefined;
afterEach(async () => server?.close());

const ANSWER = JSON.stringify({ data: { id: 7, name: 'Crème brûlée torch' }, meta: {} });

describe('the client transport (node:http with kept-alive connections)', () => {
  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
    ['deflate', deflateSync],
  ])('when BigCommerce answers %s-encoded, then the body reads as the JSON text it sent', async (encoding, encode) => {
    let accepted: string | undefined;
    server = await listen((request, response) => {
      accepted = request.headers['accept-encoding'];
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      response.end(encode(Buffer.from(ANSWER)));
    });
    const answer = await httpTransport(`${server.url}/stores/abc/v3/catalog/products/7`, { method: 'GET', headers: { Accept: 'application/json' } });
    expect(accepted).toContain(encoding);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe(ANSWER);
  });

  it('when a request carries a body, then it arrives whole with its headers, and every answer header is readable', async () => {
    let received: { method?: string; token?: string; type?: string; body: string } | undefined;
    server = await listen((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        received = { method: request.method, token: request.headers['x-auth-token'] as string, type: request.headers['content-type'], body };
        response.setHeader('X-Rate-Limit-Requests-Left', '148');
        response.setHeader('Set-Cookie', ['a=1', 'b=2']);
        response.writeHead(201).end('{}');
      });
    });
    const body = JSON.stringify({ staff_notes: 'Zwei Stück nachbestellt — 2 backordered' });
    const answer = await httpTransport(`${server.url}/stores/abc/v2/orders/5`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': 'token-1', 'Content-Type': 'application/json' },
      body,
    });
    expect(received).toEqual({ method: 'PUT', token: 'token-1', type: 'application/json', body });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-rate-limit-requests-left')).toBe('148');
    expect(answer.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('when requests follow one another, then they share one connection', async () => {
    const connections = new Set<unknown>();
    server = await listen((request, response) => {
      connections.add(request.socket);
      response.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
    });
    for (let i = 0; i < 5; i++) {
      const answer = await httpTransport(`${server.url}/stores/abc/v2/orders/${i}`, { method: 'GET', headers: {} });
      await answer.text();
    }
    expect(connections.size).toBe(1);
  });

  it('when the connection drops halfway through the body, then reading it fails rather than returning part of it', async () => {
    server = await listen((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(ANSWER.length) });
      response.write(ANSWER.slice(0, 10));
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const answer = await httpTransport(`${server.url}/stores/abc/v2/orders/1`, { method: 'GET', headers: {} });
    await expect(answer.text()).rejects.toThrow();
  });

  it('when nothing listens, then the request fails with the connection error code', async () => {
    server = await listen(() => {});
    const url = server.url;
    await server.close();
    server = undefined;
    await expect(httpTransport(`${url}/stores/abc/v2/orders/1`, { method: 'GET', headers: {} })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('when the signal aborts before an answer, then the request fails as aborted', async () => {
    server = await listen(() => {});
    await expect(httpTransport(`${server.url}/stores/abc/v2/orders/1`, { method: 'GET', headers: {}, signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
