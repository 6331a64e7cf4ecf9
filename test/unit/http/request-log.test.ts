import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/app.ts';
import { errorHandler } from '../../../src/http/error-handler.ts';
import { requestLog } from '../../../src/http/request-log.ts';

describe('requestLog', () => {
  const lines: Record<string, unknown>[] = [];
  let base = '';
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
        cb();
      },
    });
    const app = express();
    app.use(requestLog(createLogger('info', sink), { autoLogging: true }));
    app.get('/hello', (req, res) => {
      req.log?.info({ recipient: { phone: '13800001234' } }, 'said hello');
      res.json({ ok: true });
    });
    app.get('/boom', () => {
      throw new Error('kaboom');
    });
    app.use(errorHandler);
    // A second app without the middleware: no req.log there.
    const other = express();
    other.get('/plain', (req, res) => {
      res.json({ hasLog: req.log !== undefined });
    });
    app.use('/other', other);
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  it('req.log is bound to the request (id, method, path) and redacts; one request line per request', async () => {
    const r = await fetch(`${base}/hello?secret=1`, { headers: { 'x-request-id': 'abc-123' } });
    expect(r.headers.get('x-request-id')).toBe('abc-123');
    await new Promise((res) => setTimeout(res, 20));
    const mine = lines.filter((l) => (l.req as { id?: string } | undefined)?.id === 'abc-123');
    expect(mine.map((l) => l.msg)).toEqual(['said hello', 'request completed']);
    expect(mine[0]!.req).toEqual({ id: 'abc-123', method: 'GET', path: '/hello' });
    expect(mine[0]!.recipient).toBe('[redacted]');
    expect(mine[1]!.res).toEqual({ statusCode: 200 });
  });

  it('an unexpected error is logged through req.log with the request id', async () => {
    const r = await fetch(`${base}/boom`, { headers: { 'x-request-id': 'boom-1' } });
    expect(r.status).toBe(500);
    await new Promise((res) => setTimeout(res, 20));
    const mine = lines.filter((l) => (l.req as { id?: string } | undefined)?.id === 'boom-1');
    expect(mine.map((l) => l.msg)).toEqual(['request failed', 'request errored']);
  });

  it('requests that did not pass through the middleware have no req.log', async () => {
    const r = await fetch(`${base}/other/plain`);
    expect(await r.json()).toEqual({ hasLog: true });
    const bare = express();
    bare.get('/x', (req, res) => {
      res.json({ hasLog: req.log !== undefined });
    });
    const s = bare.listen(0, '127.0.0.1');
    await once(s, 'listening');
    const r2 = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/x`);
    expect(await r2.json()).toEqual({ hasLog: false });
    s.close();
  });
});
