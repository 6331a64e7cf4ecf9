import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../../src/http/error-handler.ts';
import { byteSize, jsonBody, sendJson } from '../../../src/http/json-body.ts';

describe('jsonBody (the lean JSON reader of POST /v1/parcels)', () => {
  let base = '';
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  beforeAll(async () => {
    const app = express();
    app.set('etag', false); // as createApp sets it
    app.post('/echo', jsonBody('1kb'), (req, res) => {
      res.json({ body: req.body as unknown });
    });
    const value = { id: 'x', name: '张三', n: 1.5, list: [1, null], nested: { ok: true } };
    app.get('/express-json', (_req, res) => {
      res.status(201).json(value);
    });
    app.get('/send-json', (_req, res) => {
      sendJson(res, 201, value);
    });
    app.use(errorHandler);
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  const post = async (body: string | Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; json: { body?: unknown; error?: { code: string } } }> => {
    const r = await fetch(`${base}/echo`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    return { status: r.status, json: (await r.json()) as { body?: unknown; error?: { code: string } } };
  };

  it('parses an object, with or without charset=utf-8 and a BOM', async () => {
    expect(await post('{"a":1,"b":"张三"}')).toEqual({ status: 200, json: { body: { a: 1, b: '张三' } } });
    expect((await post('{"a":1}', { 'content-type': 'application/json; charset=UTF-8' })).json.body).toEqual({ a: 1 });
    expect((await post('\uFEFF [1,2]')).json.body).toEqual([1, 2]);
  });

  it('an empty body is {}, as with body-parser', async () => {
    expect(await post('')).toEqual({ status: 200, json: { body: {} } });
  });

  it('400 for invalid JSON and for a top-level value that is not an object or array (strict)', async () => {
    for (const bad of ['{"a": ', '"just a string"', '42', 'null', '   ']) {
      const r = await post(bad);
      expect(r.status, bad).toBe(400);
      expect(r.json.error?.code).toBe('invalid_data');
    }
  });

  it('413 past the limit; compressed bodies and other charsets go through body-parser', async () => {
    expect((await post(JSON.stringify({ s: 'x'.repeat(2000) }))).status).toBe(413);
    expect((await post(gzipSync('{"z":true}'), { 'content-encoding': 'gzip' })).json.body).toEqual({ z: true });
    expect((await post('{"a":1}', { 'content-type': 'application/json; charset=latin1' })).status).toBe(415);
  });

  it('sendJson answers exactly as res.status().json() does (status, type, length, body)', async () => {
    const [a, b] = await Promise.all([fetch(`${base}/express-json`), fetch(`${base}/send-json`)]);
    expect(b.status).toBe(a.status);
    for (const h of ['content-type', 'content-length', 'etag']) expect(b.headers.get(h), h).toBe(a.headers.get(h));
    expect(await b.text()).toBe(await a.text());
  });

  it('byteSize reads the body-parser limit forms', () => {
    expect(byteSize('2mb')).toBe(2 * 1024 * 1024);
    expect(byteSize('512kb')).toBe(512 * 1024);
    expect(byteSize('100')).toBe(100);
  });
});
