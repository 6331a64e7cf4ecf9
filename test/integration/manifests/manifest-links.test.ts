/**
 * Manifest links over real HTTP: a dispatcher's or a driver's key makes a short-lived URL that
 * opens the printable manifest with no key at all (a new tab, a copied link, a phone); it reads as
 * the key that made it, and ends when it expires or that key is revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../../src/db/test-database.ts';
import { createApiKey, revokeApiKey } from '../../../src/auth/api-keys.ts';
import { startApi, type ApiContext } from '../http/helpers.ts';
import { DAY, seedPlannedDay, type PlannedDay } from './fixture.ts';

describe.each(testDialects())('%s: manifest links', (dialect) => {
  let api: ApiContext;
  let day: PlannedDay;
  beforeAll(async () => {
    api = await startApi(dialect, { relay: false });
    day = await seedPlannedDay(api.db);
  });
  afterAll(async () => {
    await api?.close();
  });

  const makeLink = (routeId: string, key: string | null, json: unknown = {}) => api.request('POST', `/v1/manifests/${routeId}/links`, { key, json });
  /** Opens a link's URL as a browser would: no Authorization header. */
  const open = async (url: string) => {
    const res = await fetch(url);
    return { status: res.status, type: res.headers.get('content-type') ?? '', cache: res.headers.get('cache-control'), html: await res.text() };
  };

  it('a dispatcher’s link opens the printable manifest with no key, for anyone who has it, until it expires', async () => {
    const before = Date.now();
    const res = await makeLink(day.routeA, api.keys.dispatcher);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ routeId: day.routeA, path: expect.stringMatching(/^\/manifest\?token=[\w-]{43}$/) });
    expect(res.body.url).toBe(`${api.base}${res.body.path}`);
    // Four hours by default.
    const ttl = Date.parse(res.body.expiresAt) - before;
    expect(ttl).toBeGreaterThan(4 * 3_600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(4 * 3_600_000 + 60_000);
    for (let i = 0; i < 2; i++) {
      const page = await open(res.body.url);
      expect(page.status).toBe(200);
      expect(page.type).toMatch(/^text\/html/);
      expect(page.cache).toBe('no-store');
      expect(page.html).toContain('size: A4');
      expect(page.html).toContain(`@bottom-left { content: "van-guocun name · ${DAY} · ${day.routeA}";`);
      for (const w of day.waybills.guocun) expect(page.html).toContain(`>${w}<`);
    }
    // A dispatcher's link opens any route, and another link is another token.
    const b = await makeLink(day.routeB, api.keys.dispatcher, { ttlMinutes: 5 });
    expect(b.status).toBe(201);
    expect(b.body.path).not.toBe(res.body.path);
    expect((await open(b.body.url)).html).toContain(`>${day.waybills.guxian[0]}<`);

    // Expired: a page saying so (for a person, not JSON), 401.
    await api.db.updateTable('manifest_links').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('route_id', '=', day.routeB).execute();
    const expired = await open(b.body.url);
    expect(expired.status).toBe(401);
    expect(expired.type).toMatch(/^text\/html/);
    expect(expired.html).toContain('expired');
    expect(expired.html).not.toContain(day.waybills.guxian[0]);
  });

  it('refuses unknown, malformed and missing tokens', async () => {
    expect((await open(`${api.base}/manifest?token=${'A'.repeat(43)}`)).status).toBe(401);
    expect((await open(`${api.base}/manifest?token=short`)).status).toBe(400);
    expect((await open(`${api.base}/manifest`)).status).toBe(400);
  });

  it('a driver makes links to their own route only; the link reads as the driver, counts as opening the route, and ends with the driver’s key', async () => {
    const driver = await createApiKey(api.db, { role: 'driver', driverId: 'driver-1' });
    expect((await makeLink(day.routeB, driver.key)).status).toBe(404); // another driver's route
    const res = await makeLink(day.routeA, driver.key);
    expect(res.status).toBe(201);
    expect(await api.db.selectFrom('route_opens').selectAll().where('route_id', '=', day.routeA).where('driver_id', '=', 'driver-1').execute()).toEqual([]);
    expect((await open(res.body.url)).status).toBe(200);
    expect(await api.db.selectFrom('route_opens').select('driver_id').where('route_id', '=', day.routeA).execute()).toEqual([{ driver_id: 'driver-1' }]);
    // The route goes to another driver: the link no longer opens it.
    await api.db.updateTable('routes').set({ driver_id: 'driver-9' }).where('id', '=', day.routeA).execute();
    expect((await open(res.body.url)).status).toBe(404);
    await api.db.updateTable('routes').set({ driver_id: 'driver-1' }).where('id', '=', day.routeA).execute();
    expect((await open(res.body.url)).status).toBe(200);
    // The driver's key is revoked: so are its links.
    expect(await revokeApiKey(api.db, driver.id)).toBe(1);
    const revoked = await open(res.body.url);
    expect(revoked.status).toBe(401);
    expect(revoked.html).not.toContain(day.waybills.guocun[0]);
  });

  it('a driver’s link lasts no longer than the driver’s phone session', async () => {
    const driver = await createApiKey(api.db, { role: 'driver', driverId: 'driver-1' });
    const sessionEnd = new Date(Date.now() + 30 * 60_000).toISOString();
    await api.db.updateTable('api_keys').set({ expires_at: sessionEnd }).where('id', '=', driver.id).execute();
    const res = await makeLink(day.routeA, driver.key, { ttlMinutes: 600 });
    expect(res.status).toBe(201);
    expect(res.body.expiresAt).toBe(sessionEnd);
  });

  it('checks the request: body fields, roles, unknown routes', async () => {
    for (const body of [{ ttlMinutes: 0 }, { ttlMinutes: 24 * 60 + 1 }, { ttlMinutes: 1.5 }, { other: 1 }]) {
      const res = await makeLink(day.routeA, api.keys.dispatcher, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.body.error.details)).toMatch(/ttlMinutes|other/);
    }
    expect((await makeLink(day.routeA, api.keys.zto)).status).toBe(403);
    expect((await makeLink(day.routeA, null)).status).toBe(401);
    expect((await makeLink('no-such-route', api.keys.dispatcher)).status).toBe(404);
    expect((await api.request('POST', `/v1/manifests/${day.routeA}/links`, { key: api.keys.dispatcher })).status).toBe(415);
  });
});
