/**
 * The dispatcher dashboard in a real browser (the npm-shipped Chromium of test/support/browser.ts) on a
 * planned day: the real Qin County network, a small generated day submitted through the API and
 * planned with the planner's in-process runner, the server started as `gongpei serve` starts it.
 * Checks that routes appear on the map and in the table, clicks routes (table and map), switches
 * to English, and saves a screenshot to test/artifacts/dashboard.png for a human to look at.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { generateDay } from '../../src/demo/generate.ts';
import { importNetwork } from '../../src/network/import.ts';
import { syntheticCounty } from '../../src/network/synthetic.ts';
import { daySettings, localSecondsToIso, serviceDateFor } from '../../src/planning/day-model.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { REDIS_URL } from '../integration/http/helpers.ts';
import { launchBrowser } from '../support/browser.ts';
import { prepareE2eDatabase, removeQueues, submitAndPlan } from './submit-and-plan.ts';

const ARTIFACTS = resolve(import.meta.dirname, '..', 'artifacts');

describe('dispatcher dashboard in chromium', () => {
  const work = mkdtempSync(join(tmpdir(), 'gongpei-e2e-'));
  const prefix = `test-e2e-${randomBytes(4).toString('hex')}`;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let base: string;
  let dispatcherKey: string;
  let planId: string;
  let routeCount: number;

  beforeAll(async () => {
    const prepared = await prepareE2eDatabase(join(work, 'e2e.db'), prefix);
    const { config, setup, rows, couriers, courierKeys: keys } = prepared;
    dispatcherKey = prepared.dispatcherKey;
    // Every vehicle gets its driver, so the planner's routes carry a driver_id.
    await setup.updateTable('vehicles').set((eb) => ({ driver_id: eb.fn<string>('concat', [eb.val('driver-'), eb.ref('id')]) })).execute();
    await setup.destroy();

    const date = serviceDateFor(new Date(), daySettings(config));
    // The server's clock stands at 10:00 on the planned day: a driver's event without `at` is
    // stamped now, and the server takes it only on the route's service day.
    const clock = () => new Date(localSecondsToIso(date, 10 * 3600, config.utcOffsetMinutes));
    server = await startServer({ config, handleSignals: false, app: { requestLogging: false, rateLimit: { perSecond: 10_000, burst: 20_000 }, clock } });
    base = `http://127.0.0.1:${server.port}`;
    const day = generateDay(rows.stations, couriers, { parcels: 300, seed: 11, readyDate: date });
    // The planner's own in-process runner, small budget: this test is about the dashboard.
    planId = await submitAndPlan({ base, config, db: server.db, courierKeys: keys, dispatcherKey, day, date, timeLimitMs: 150, savings: true });
    routeCount = Number((await server.db.selectFrom('routes').select((eb) => eb.fn.countAll<number>().as('n')).where('plan_id', '=', planId).executeTakeFirstOrThrow()).n);
    expect(routeCount).toBeGreaterThan(1);

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await removeQueues(REDIS_URL, prefix);
    rmSync(work, { recursive: true, force: true });
  });

  it('manifests and delivery events work on the planner’s own routes', async () => {
    const routes = await server.db.selectFrom('routes').select(['id', 'tier', 'vehicle_id', 'driver_id', 'hub_id']).where('plan_id', '=', planId).execute();
    // The planner copies each vehicle's driver onto its route.
    expect(routes.every((r) => r.driver_id === `driver-${r.vehicle_id}`)).toBe(true);
    const get = async (path: string, key: string) => {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
      return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const date = (await get(`/v1/plans/${planId}`, dispatcherKey)).body.date as string;
    expect((await get(`/v1/manifests?date=${date}`, dispatcherKey)).body.manifests).toHaveLength(routeCount);

    // Line-haul: the bins unloaded at the township centres are exactly the parcels their vans carry.
    const lineHaul = routes.find((r) => r.tier === 'line_haul')!;
    const lh = (await get(`/v1/manifests/${lineHaul.id}`, dispatcherKey)).body;
    const binParcels = lh.stops.flatMap((st: { bins: { parcels: number }[] }) => st.bins).reduce((a: number, b: { parcels: number }) => a + b.parcels, 0);
    const centreParcels = await server.db
      .selectFrom('parcels')
      .innerJoin('stops', 'stops.id', 'parcels.stop_id')
      .innerJoin('routes', 'routes.id', 'stops.route_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('routes.plan_id', '=', planId)
      .where('routes.tier', '=', 'village')
      .where('routes.hub_id', '!=', lineHaul.hub_id)
      .executeTakeFirstOrThrow();
    expect(binParcels).toBe(Number(centreParcels.n));

    // Published, the plan is in front of the drivers (a draft takes no events).
    expect((await fetch(`${base}/v1/plans/${planId}/publish`, { method: 'POST', headers: { authorization: `Bearer ${dispatcherKey}` } })).status).toBe(200);
    // A village driver: sees only their route, delivers at its first stop with parcels.
    const village = routes.find((r) => r.tier === 'village')!;
    const driverKey = (await createApiKey(server.db, { role: 'driver', driverId: village.driver_id! })).key;
    expect((await get(`/v1/manifests?date=${date}`, driverKey)).body.manifests.map((m: { routeId: string }) => m.routeId)).toEqual([village.id]);
    const manifest = (await get(`/v1/manifests/${village.id}`, driverKey)).body;
    const stop = manifest.stops.find((st: { parcels: unknown[] }) => st.parcels.length > 0);
    const res = await fetch(`${base}/v1/stops/${stop.stopId}/events`, { method: 'POST', headers: { authorization: `Bearer ${driverKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'delivered' }) });
    expect(res.status).toBe(200);
    const kpis = (await get(`/v1/dashboard/kpis?planId=${planId}`, dispatcherKey)).body;
    expect(kpis.delivery.delivered).toBe(stop.parcels.length);
    expect(kpis.delivery.onTimeShare).toBe(1);
  });

  it('signs in, shows the planned day’s routes on the map and in the table, highlights a clicked route, and saves a screenshot', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:') && r.url() !== 'about:blank') outside.push(r.url());
    });

    // A driver for the driver select (the dispatcher puts them on the clicked route's vehicle below).
    const added = await fetch(`${base}/v1/drivers`, { method: 'POST', headers: { authorization: `Bearer ${dispatcherKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: '王师傅', phone: '13812345678' }) });
    const driverId = ((await added.json()) as { id: string }).id;

    const planDate = ((await (await fetch(`${base}/v1/plans/${planId}`, { headers: { authorization: `Bearer ${dispatcherKey}` } })).json()) as { date: string }).date;
    await page.goto(`${base}/?date=${planDate}`); // the planned day (the page opens on today otherwise)
    await page.locator('#signIn').waitFor({ state: 'visible' });
    await page.fill('#keyInput', 'gp_d_wrong');
    await page.click('#signInForm button[type=submit]');
    await expect.poll(() => page.textContent('#signInError')).toContain('密钥无效');
    await page.fill('#keyInput', dispatcherKey);
    await page.click('#signInForm button[type=submit]');

    await page.locator('#planBadge[data-status="completed"]').waitFor({ timeout: 30_000 });
    // Every route is a row in the table and a line on the map.
    await expect.poll(() => page.locator('#routes tbody tr').count()).toBe(routeCount);
    expect(await page.locator('path[data-route-id]').count()).toBe(routeCount);
    // The network: outline + township areas drawn, stations and hubs as markers.
    expect(await page.locator('.leaflet-overlay-pane path').count()).toBeGreaterThanOrEqual(11); // outline + township areas
    expect(await page.locator('path.station-marker').count()).toBe(224);
    expect(await page.locator('.township-label').count()).toBeGreaterThanOrEqual(10);
    await expect.poll(() => page.textContent('#kpiRoutes')).toContain(String(routeCount));
    // The delivery reported by the driver in the previous test shows as the on-time share.
    expect(await page.textContent('#kpiOnTime')).toContain('100.0%');
    expect(await page.textContent('#savings')).toMatch(/km/);

    // Sort by km, descending on the second click.
    await page.click('#routes th[data-sort="km"]');
    await page.click('#routes th[data-sort="km"]');
    expect(await page.getAttribute('#routes th[data-sort="km"]', 'aria-sort')).toBe('descending');

    // Click a village route in the table: highlighted row, highlighted line, stop list.
    const row = page.locator('#routes tbody tr', { hasText: '村级' }).first();
    const routeId = (await row.getAttribute('data-route-id'))!;
    await row.click();
    await expect.poll(() => page.locator('#routes tbody tr.selected').getAttribute('data-route-id')).toBe(routeId);
    expect(await page.locator(`path[data-route-id="${routeId}"]`).getAttribute('class')).toContain('route-selected');
    const stops = await (await fetch(`${base}/v1/plans/${planId}/routes`, { headers: { authorization: `Bearer ${dispatcherKey}` } })).json() as { routes: { id: string; stops: unknown[] }[] };
    expect(await page.locator('#stopList li').count()).toBe(stops.routes.find((r) => r.id === routeId)!.stops.length);

    // Click another route on the map itself.
    const other = stops.routes.find((r) => r.id !== routeId)!.id;
    await page.locator(`path[data-route-id="${other}"]`).dispatchEvent('click');
    await expect.poll(() => page.locator('#routes tbody tr.selected').getAttribute('data-route-id')).toBe(other);
    await page.locator(`path[data-route-id="${other}"]`).dispatchEvent('click'); // toggles off
    await row.click();

    // Put the driver on the selected route's vehicle for the day with the route's driver select.
    await page.selectOption('#driverSelect', driverId);
    const vehicleId = (await server.db.selectFrom('routes').select('vehicle_id').where('id', '=', routeId).executeTakeFirstOrThrow()).vehicle_id;
    await expect
      .poll(async () => (await server.db.selectFrom('driver_assignments').select('driver_id').where('vehicle_id', '=', vehicleId).executeTakeFirst())?.driver_id)
      .toBe(driverId);
    await expect.poll(() => page.textContent('#driverOpened')).toContain('尚未打开路线');
    expect((await server.db.selectFrom('routes').select('driver_id').where('id', '=', routeId).executeTakeFirstOrThrow()).driver_id).toBe(driverId);
    // A sign-in QR code for that driver's phone; the link signs the phone in once.
    await page.click('#signInLinkBtn');
    await page.locator('#signInLink svg').waitFor();
    const url = (await page.textContent('#signInLink code'))!;
    expect(url).toMatch(/\/driver#token=[\w-]{43}$/);
    const phone = await fetch(`${base}/v1/driver-sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: url.split('#token=')[1] }) });
    expect(phone.status).toBe(201);

    // The manifest opens in a new tab at a real link (not a blob: URL), which the dispatcher can
    // also copy: the same URL opens it in a browser with no key at all.
    const [tab] = await Promise.all([page.waitForEvent('popup'), page.click('#manifestBtn')]);
    await tab.waitForURL(/\/manifest\?token=[\w-]{43}$/);
    await tab.locator('table.stop').first().waitFor();
    expect(await tab.title()).toContain('派送清单');
    const shared = await page.inputValue('#manifestUrl');
    expect(shared).toBe(tab.url());
    await tab.close();
    const stranger = await browser.newPage();
    await stranger.goto(shared);
    expect(await stranger.locator('table.stop').count()).toBe(stops.routes.find((r) => r.id === routeId)!.stops.filter((st) => (st as { kind: string }).kind === 'station').length);
    await stranger.close();

    // The station keeper (站长) and phone, from the selected route's first station stop: the form
    // refuses a phone that is not one before anything is sent; saved, the station has them and the
    // manifest link (opened again) prints them.
    const firstStation = (stops.routes.find((r) => r.id === routeId)!.stops as { kind: string; seq: number; stationCode: string | null }[]).find((st) => st.kind === 'station')!;
    await page.click(`#stopList li[data-seq="${firstStation.seq}"]`);
    await page.locator('#stationCard #keeperForm').waitFor();
    const keeperOf = async () => server.db.selectFrom('stations').select(['keeper_name', 'keeper_phone']).where('code', '=', firstStation.stationCode!).executeTakeFirstOrThrow();
    await page.fill('#keeperName', '李桂兰');
    await page.fill('#keeperPhone', 'call me');
    await page.click('#keeperSave');
    await expect.poll(() => page.textContent('#keeperError')).toContain('站长电话');
    expect(await keeperOf()).toEqual({ keeper_name: null, keeper_phone: null });
    await page.fill('#keeperPhone', '139-0000-1111');
    await page.click('#keeperSave');
    await expect.poll(() => page.textContent('#keeperStatus')).toBe('已保存');
    expect(await keeperOf()).toEqual({ keeper_name: '李桂兰', keeper_phone: '139-0000-1111' });
    expect(await page.textContent('#keeperError')).toBe('');
    expect(await page.inputValue('#keeperName')).toBe('李桂兰');
    const again = await browser.newPage();
    await again.goto(shared);
    expect(await again.textContent(`table.stop:has(.code:text-is("${firstStation.stationCode}"))`)).toContain('李桂兰');
    await again.close();

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    // A day without a plan: the plan button starts one and the status shows it queued (no worker
    // runs in this test, so it stays queued: the progress display is what is checked).
    const planned = await page.inputValue('#date');
    const nextDay = new Date(Date.parse(`${planned}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await page.fill('#date', nextDay);
    await page.dispatchEvent('#date', 'change');
    await expect.poll(() => page.textContent('#planStatus')).toContain('当天尚无计划');
    expect(await page.locator('#routes tbody tr').count()).toBe(0);
    await page.click('#planBtn');
    await page.locator('#planBadge[data-status="queued"]').waitFor();
    expect(await page.locator('#planStatus progress').count()).toBe(1);
    await page.fill('#date', planned);
    await page.dispatchEvent('#date', 'change');
    await page.locator('#planBadge[data-status="completed"]').waitFor();

    // English toggle.
    await page.click('#langBtn');
    expect(await page.textContent('header h1')).toBe('gongpei dispatch');
    expect(await page.textContent('#routes th[data-sort="vehicle"]')).toBe('Vehicle');
    await page.setViewportSize({ width: 1024, height: 1366 }); // a tablet, portrait
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-tablet-en.png'), fullPage: true });

    expect(pageErrors).toEqual([]);
    expect(outside).toEqual([]); // offline: no tiles, no CDN
  });

  it('offers a county picker to a key of several counties (and none to a key of one)', async () => {
    // The first test's key covers Qin County only: no picker.
    expect(await page.locator('#countyPicker').isHidden()).toBe(true);
    await importNetwork(server.db, syntheticCounty({ code: '149903', seed: 7, townships: 2, villagesPerTownship: 4 }));
    const both = (await createApiKey(server.db, { role: 'dispatcher', counties: ['140430', '149903'] })).key;
    const two = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const pageErrors: string[] = [];
    two.on('pageerror', (e) => pageErrors.push(e.message));
    await two.goto(base);
    await two.locator('#signIn').waitFor({ state: 'visible' });
    await two.fill('#keyInput', both);
    await two.click('#signInForm button[type=submit]');
    await two.locator('#countyPicker').waitFor({ state: 'visible' });
    expect(await two.locator('#county option').allTextContents()).toEqual(['沁县 140430', expect.stringContaining('149903')]);
    const stationsOf = async (county: string) => {
      const res = await fetch(`${base}/v1/network.geojson?county=${county}`, { headers: { authorization: `Bearer ${both}` } });
      return ((await res.json()) as { features: { properties: { layer: string } }[] }).features.filter((f) => f.properties.layer === 'station').length;
    };
    // Picking the second county redraws its network (asked with ?county=) and its day.
    const [network] = await Promise.all([two.waitForResponse((r) => r.url().includes('/v1/network.geojson?county=149903')), two.selectOption('#county', '149903')]);
    expect(network.status()).toBe(200);
    expect(((await network.json()) as { features: { properties: { layer: string } }[] }).features.filter((f) => f.properties.layer === 'station').length).toBe(await stationsOf('149903'));
    await two.locator('#planBtn').waitFor({ state: 'visible' }); // no plan of that county yet
    mkdirSync(ARTIFACTS, { recursive: true });
    await two.screenshot({ path: join(ARTIFACTS, 'dashboard-county-picker.png') });
    await two.setViewportSize({ width: 390, height: 844 });
    await two.screenshot({ path: join(ARTIFACTS, 'dashboard-county-picker-phone.png') });
    expect(pageErrors).toEqual([]);
    await two.close();
  }, 120_000);
});
