/**
 * The dispatcher's views on a full generated day (12,000 parcels, the real Qin County network) in
 * the npm-shipped headless Chromium, at a desk size (1440×900) and a phone size (390×844), in
 * Chinese and English. One township's fleet is switched off before planning so the day has
 * unassigned stations to show. Screenshots go to test/artifacts/ (git-ignored) for a human.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDay } from '../../src/demo/generate.ts';
import { daySettings, localDate, serviceDateFor } from '../../src/planning/day-model.ts';
import type { RouteView } from '../../src/plans/plan.service.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { launchBrowser } from '../support/browser.ts';
import { prepareE2eDatabase, removeQueues, submitAndPlan } from './submit-and-plan.ts';
import { REDIS_URL } from '../integration/http/helpers.ts';

const ARTIFACTS = resolve(import.meta.dirname, '..', 'artifacts');
const PARCELS = 12_000;

const VIEWS = [
  { name: 'desk-zh', width: 1440, height: 900, lang: 'zh' },
  { name: 'desk-en', width: 1440, height: 900, lang: 'en' },
  { name: 'phone-zh', width: 390, height: 844, lang: 'zh' },
  { name: 'phone-en', width: 390, height: 844, lang: 'en' },
] as const;

/** Stops a driver serves, numbered in driving order (what the map and the manifest number). */
const numbered = (r: RouteView) => r.stops.filter((s) => s.kind === 'station' || s.kind === 'reload' || (s.kind === 'hub' && s.hubId !== r.hubId));

describe('dispatcher views on a full day', () => {
  const work = mkdtempSync(join(tmpdir(), 'gongpei-full-day-'));
  const prefix = `test-full-day-${randomBytes(4).toString('hex')}`;
  let server: RunningServer;
  let browser: Browser;
  let base: string;
  let dispatcherKey: string;
  let planId: string;
  let planDate: string;
  let routes: RouteView[];
  let switchedOffHub: string;

  beforeAll(async () => {
    const prepared = await prepareE2eDatabase(join(work, 'day.db'), prefix);
    const { config, setup, rows, couriers, courierKeys: keys } = prepared;
    dispatcherKey = prepared.dispatcherKey;
    // The township centre with the fewest stations loses its fleet: its stations end up unassigned.
    const perHub = new Map<string, number>();
    for (const s of rows.stations) perHub.set(s.hub_id, (perHub.get(s.hub_id) ?? 0) + 1);
    const county = rows.hubs.find((h) => h.kind === 'county_warehouse')!.id;
    switchedOffHub = [...perHub.entries()].filter(([h]) => h !== county).sort((a, b) => a[1] - b[1])[0]![0];
    await setup.updateTable('vehicles').set({ active: 0 }).where('hub_id', '=', switchedOffHub).execute();
    await setup.destroy();

    server = await startServer({ config, handleSignals: false, app: { requestLogging: false, rateLimit: { perSecond: 10_000, burst: 20_000 } } });
    base = `http://127.0.0.1:${server.port}`;
    const date = serviceDateFor(new Date(), daySettings(config));
    planDate = date;
    const day = generateDay(rows.stations, couriers, { parcels: PARCELS, seed: 7, readyDate: date });
    // A small solver budget: these tests are about the views of a full day, not its optimality.
    planId = await submitAndPlan({ base, config, db: server.db, courierKeys: keys, dispatcherKey, day, date, timeLimitMs: 200, savings: false });
    routes = ((await (await fetch(`${base}/v1/plans/${planId}/routes`, { headers: { authorization: `Bearer ${dispatcherKey}` } })).json()) as { routes: RouteView[] }).routes;
    expect(routes.length).toBeGreaterThan(10);
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await removeQueues(REDIS_URL, prefix);
    rmSync(work, { recursive: true, force: true });
  });

  async function openDashboard(view: (typeof VIEWS)[number], date = planDate): Promise<{ page: Page; errors: string[]; outside: string[]; tileRanges: number[] }> {
    const context = await browser.newContext({ viewport: { width: view.width, height: view.height }, locale: view.lang === 'zh' ? 'zh-CN' : 'en-GB' });
    const page = await context.newPage();
    const errors: string[] = [];
    const outside: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) outside.push(r.url());
    });
    const tileRanges: number[] = [];
    page.on('response', (r) => {
      if (r.url() === `${base}/tiles/county.pmtiles`) tileRanges.push(r.status());
    });
    // Signed in and in the view's language before the page's own script runs.
    await page.addInitScript(`sessionStorage.setItem('gongpei.dispatcherKey', ${JSON.stringify(dispatcherKey)}); localStorage.setItem('gongpei.lang', '${view.lang}');`);
    await page.goto(`${base}/?date=${date}`); // the planned day (the page opens on today otherwise)
    await page.locator('#planBadge[data-status="completed"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('path[data-route-id]').count()).toBe(routes.length);
    return { page, errors, outside, tileRanges };
  }

  /**
   * Samples points every 12 px along every drawn route line (inside the map, away from the map's
   * controls) and asks the browser what is on top there: the share whose topmost element is a
   * station, hub or unassigned marker is the share of the routes the station markers hide.
   */
  function routeCoverage(page: Page): Promise<{ samples: number; routeOnTop: number; coveredByMarkers: number }> {
    // Runs in the page (a string: the test's TypeScript has no DOM types).
    return page.evaluate(`(() => {
      const mapBox = document.querySelector('#map').getBoundingClientRect();
      const controls = [...document.querySelectorAll('.leaflet-control')].map((c) => c.getBoundingClientRect());
      let samples = 0, routeOnTop = 0, coveredByMarkers = 0;
      const by = {};
      for (const path of document.querySelectorAll('path[data-route-id]')) {
        const ctm = path.getScreenCTM();
        if (!ctm) continue;
        const length = path.getTotalLength();
        for (let at = 6; at < length; at += 12) {
          const p = path.getPointAtLength(at).matrixTransform(ctm);
          if (p.x < mapBox.left + 2 || p.x > mapBox.right - 2 || p.y < mapBox.top + 2 || p.y > mapBox.bottom - 2) continue;
          if (controls.some((c) => p.x >= c.left && p.x <= c.right && p.y >= c.top && p.y <= c.bottom)) continue;
          samples += 1;
          const top = document.elementFromPoint(p.x, p.y);
          if (top && top.hasAttribute('data-route-id')) routeOnTop += 1;
          else if (top && top.closest('.station-marker, .hub-marker, .hub-county, .unassigned-marker')) coveredByMarkers += 1;
          if (top && !top.hasAttribute('data-route-id')) { const k = top.tagName + '.' + (top.getAttribute('class') || ''); by[k] = (by[k] || 0) + 1; }
        }
      }
      return { samples, routeOnTop, coveredByMarkers, by };
    })()`);
  }

  for (const view of VIEWS) {
    it(`${view.name}: routes stay visible over the stations, a selected route shows numbered stops, unassigned stations are listed with translated reasons`, async () => {
      const { page, errors, outside, tileRanges } = await openDashboard(view);
      // The offline base map: the county archive read with range requests, drawn as canvas tiles.
      await expect.poll(() => page.locator('canvas.leaflet-tile-loaded').count()).toBeGreaterThan(0);
      expect(tileRanges.length).toBeGreaterThan(0);
      expect(tileRanges.every((s) => s === 206)).toBe(true);
      const coverage = await routeCoverage(page);
      expect(coverage.samples).toBeGreaterThan(500);
      writeFileSync(join(ARTIFACTS, `full-day-${view.name}-coverage.json`), JSON.stringify(coverage));
      expect(coverage.coveredByMarkers / coverage.samples).toBeLessThanOrEqual(0.1);
      // Most samples hit a route line itself (the rest fall in the gaps of the dashed line-haul,
      // which the browser does not hit-test): the sampling really is on the drawn lines.
      expect(coverage.routeOnTop / coverage.samples).toBeGreaterThanOrEqual(0.8);
      await page.screenshot({ path: join(ARTIFACTS, `full-day-${view.name}.png`) });

      // Vehicles by name, never by id.
      const firstRow = await page.locator('#routes tbody tr').first().textContent();
      expect(routes.some((r) => firstRow!.includes(r.vehicleName))).toBe(true);
      expect(await page.locator('#routes tbody').textContent()).not.toMatch(/centre-\d+-|county-.*-truck/);

      // Unassigned: the switched-off township's stations are marked and listed, reasons in words.
      const unassignedRows = page.locator('#unassignedList tbody tr');
      expect(await unassignedRows.count()).toBeGreaterThan(0);
      expect(await page.locator('path.unassigned-marker').count()).toBe(await unassignedRows.count());
      const reasonText = (await page.locator('#unassignedList').textContent())!;
      expect(reasonText).not.toMatch(/no_vehicle|no_feasible_route|_/);
      expect(reasonText).toContain(view.lang === 'zh' ? '没有可用车辆' : 'no vehicle at this township');

      // Layer toggles: village routes off and on again. The toggles live in the legend, which a
      // phone starts folded (it would cover the map's corner): a dispatcher unfolds it first.
      const legendOpen = (await page.locator('#legend details').getAttribute('open')) !== null;
      expect(legendOpen).toBe(view.width > 600);
      if (!legendOpen) await page.locator('#legend summary').click();
      await page.locator('#toggle-village').uncheck();
      expect(await page.locator('path[data-route-id].tier-village').count()).toBe(0);
      await page.locator('#toggle-village').check();
      expect(await page.locator('path[data-route-id].tier-village').count()).toBe(routes.filter((r) => r.tier === 'village').length);

      // Select the busiest village route from the table (a lower row): numbered stops on the map,
      // the stop list in view, the row highlighted.
      const busiest = routes.filter((r) => r.tier === 'village').sort((a, b) => numbered(b).length - numbered(a).length)[0]!;
      await page.locator(`#routes tbody tr[data-route-id="${busiest.id}"]`).click();
      await expect.poll(() => page.locator('.stop-number').count()).toBe(numbered(busiest).filter((s) => s.lat !== null).length);
      expect((await page.locator('.stop-number').allTextContents()).map(Number).sort((a, b) => a - b)).toEqual(numbered(busiest).map((_, i) => i + 1));
      expect(await page.locator('#routes tbody tr.selected').getAttribute('data-route-id')).toBe(busiest.id);
      expect(await page.locator(`path[data-route-id="${busiest.id}"]`).getAttribute('class')).toContain('route-selected');
      expect(await page.locator('#routeDetail h3').textContent()).toContain(busiest.vehicleName);
      const listBox = (await page.locator('#stopList').boundingBox())!;
      expect(listBox.y).toBeLessThan(view.height);
      expect(listBox.y + 20).toBeGreaterThan(0);
      await page.screenshot({ path: join(ARTIFACTS, `full-day-${view.name}-selected.png`) });

      expect(errors).toEqual([]);
      expect(outside).toEqual([]);
      await page.context().close();
    });
  }

  it('prints the largest route’s manifest, opened from its link, on at most one A4 page per 25 parcels plus two, each page with its footer', async () => {
    // The village route with the most parcels: one row per parcel (a line-haul prints bins).
    const largest = routes.filter((r) => r.tier === 'village').sort((a, b) => b.stops.reduce((n, s) => n + s.deliverCount, 0) - a.stops.reduce((n, s) => n + s.deliverCount, 0))[0]!;
    const parcels = largest.stops.reduce((n, s) => n + s.deliverCount, 0);
    expect(parcels).toBeGreaterThan(500);
    // The dispatcher's link: a real URL any browser opens without a key.
    const made = await fetch(`${base}/v1/manifests/${largest.id}/links`, { method: 'POST', headers: { authorization: `Bearer ${dispatcherKey}`, 'content-type': 'application/json' }, body: '{}' });
    expect(made.status).toBe(201);
    const link = (await made.json()) as { url: string };
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    await page.goto(link.url, { waitUntil: 'load' });
    await page.evaluate('document.fonts.ready.then(() => true)');
    // One QR code per stop, not per parcel.
    expect(await page.locator('svg.qr-stop').count()).toBe(largest.stops.filter((s) => s.kind === 'station' || (s.kind === 'hub' && s.hubId !== largest.hubId)).length);
    expect(await page.locator('tr.parcel').count()).toBe(parcels);
    await page.screenshot({ path: join(ARTIFACTS, 'manifest-largest-screen.png') });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await page.close();
    expect(outside).toEqual([]);
    writeFileSync(join(ARTIFACTS, 'manifest-largest.pdf'), pdf);
    // Each page's text as printed (pdf.js reads it back through the fonts' ToUnicode maps).
    const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join('').replace(/\s+/g, ''));
    }
    await doc.destroy();
    const footer = `${largest.vehicleName} · ${planDate} · ${largest.id}`.replace(/\s+/g, '');
    const withFooter = pages.filter((text, i) => text.includes(footer) && text.includes(`page${i + 1}/${pages.length}`) && text.includes(`第${i + 1}/${pages.length}页`)).length;
    writeFileSync(join(ARTIFACTS, 'manifest-largest.json'), JSON.stringify({ routeId: largest.id, parcels, pages: pages.length, allowed: Math.ceil(parcels / 25) + 2, pagesWithFooter: withFooter }));
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(parcels / 80)); // every parcel printed on a row of its own
    expect(pages.length).toBeLessThanOrEqual(Math.ceil(parcels / 25) + 2);
    expect(withFooter).toBe(pages.length);
    // The last page ends with the sign-off block.
    expect(pages.at(-1)).toContain('回站交接');
  });

  // Last: it moves the plan to today. The server takes a driver's event only at a time on the
  // route's service day and not in the future, and a phone stamps events with its clock (now);
  // the day generated above is tomorrow's (it was submitted after today's cut-off).
  it('a driver opens the sign-in link on a phone, sees the next stop first, marks it delivered offline, and the dashboard shows it once back online', async () => {
    const auth = { authorization: `Bearer ${dispatcherKey}`, 'content-type': 'application/json' };
    const send = async (path: string, body: unknown, method = 'POST') => {
      const res = await fetch(`${base}${path}`, { method, headers: auth, body: JSON.stringify(body) });
      expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
      return (await res.json()) as Record<string, string>;
    };
    const getJson = async <T,>(path: string): Promise<T> => (await (await fetch(`${base}${path}`, { headers: auth })).json()) as T;
    const today = localDate(new Date(), 480);
    await server.db.updateTable('plans').set({ service_date: today }).where('id', '=', planId).execute();
    // Drivers report on a published plan only.
    expect((await fetch(`${base}/v1/plans/${planId}/publish`, { method: 'POST', headers: { authorization: `Bearer ${dispatcherKey}` } })).status).toBe(200);

    // A village route whose first stop has parcels; its station gets a keeper.
    const village = routes.find((r) => r.tier === 'village' && numbered(r)[0]!.kind === 'station' && numbered(r)[0]!.deliverCount > 0)!;
    const first = numbered(village)[0]!;
    await send(`/v1/stations/${first.stationCode}`, { keeperName: '李桂兰', keeperPhone: '139-0000-1111' }, 'PATCH');
    const driver = await send('/v1/drivers', { name: '王师傅', phone: '13800000099' });
    await send('/v1/driver-assignments', { date: today, vehicleId: village.vehicleId, driverId: driver.id }, 'PUT');
    const link = await send(`/v1/drivers/${driver.id}/sign-in-links`, { date: today });

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(link.url!);
    // Signed in; the token is gone from the address; the next stop comes first.
    await expect.poll(() => page.locator('#next h2').textContent()).toBe(first.name);
    expect(page.url()).toBe(`${base}/driver`);
    expect(await page.textContent('#who')).toContain('王师傅');
    expect(await page.getAttribute('#callKeeper', 'href')).toBe('tel:13900001111');
    type Loc = { lat: number; lon: number; gcj02: { lat: number; lon: number } };
    const manifest = await getJson<{ stops: { station: { code: string } | null; location: Loc }[] }>(`/v1/manifests/${village.id}`);
    const loc = manifest.stops.find((x) => x.station?.code === first.stationCode)!.location;
    expect(await page.getAttribute('#navGeo', 'href')).toBe(`geo:${loc.lat},${loc.lon}?q=${loc.lat},${loc.lon}(${encodeURIComponent(first.name!)})`);
    expect(await page.getAttribute('#navAmap', 'href')).toContain(`to=${loc.gcj02.lon},${loc.gcj02.lat},`);
    expect(loc.gcj02.lon).not.toBe(loc.lon); // GCJ-02 is offset from WGS84 in China
    await page.screenshot({ path: join(ARTIFACTS, 'driver-phone-zh.png'), fullPage: true });

    // The service worker keeps the page: offline, a reload still opens the route from the phone.
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => page.locator('#next h2').textContent()).toBe(first.name);
    await expect.poll(() => page.textContent('#net')).toBe('离线');
    await page.locator('#next button[data-act="delivered"]').click();
    // "Delivered all": the parcels handed over, and the stop's pickups collected if it has any.
    await expect.poll(() => page.textContent('#queued')).toBe(`待上传 ${first.pickupCount > 0 ? 2 : 1}`);
    // Done on the phone already: the stop is ticked off in the list.
    await expect.poll(() => page.locator('#stops li.done').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'driver-phone-zh-offline.png'), fullPage: true });
    type Kpis = { delivery: { delivered: number } };
    expect((await getJson<Kpis>(`/v1/dashboard/kpis?planId=${planId}`)).delivery.delivered).toBe(0);

    // Back online: the queued event is sent, and the dispatcher's dashboard counts it.
    await context.setOffline(false);
    await expect.poll(() => page.textContent('#queued'), { timeout: 15_000 }).toBe('');
    const delivered = (await getJson<Kpis>(`/v1/dashboard/kpis?planId=${planId}`)).delivery.delivered;
    expect(delivered, (await page.textContent('#message')) ?? '').toBe(first.deliverCount);
    const pickups = await server.db.selectFrom('pickups').select('status').where('stop_id', '=', first.id).execute();
    expect(pickups.length).toBe(first.pickupCount);
    expect(pickups.every((p) => p.status === 'picked_up')).toBe(true);
    const dashboard = await openDashboard(VIEWS[1], today);
    await expect.poll(() => dashboard.page.textContent('#kpiDelivered')).toContain(String(first.deliverCount));
    await dashboard.page.context().close();

    // English on the toggle.
    await page.click('#langBtn');
    expect(await page.textContent('#net')).toBe('online');
    await page.screenshot({ path: join(ARTIFACTS, 'driver-phone-en.png'), fullPage: true });

    // The printable manifest from the phone: a link made with the phone's session, opened in the
    // same tab; the stop just delivered prints as delivered.
    await page.click('#manifestBtn');
    await page.waitForURL(/\/manifest\?token=[\w-]{43}$/);
    expect(await page.locator('table.stop').count()).toBe(numbered(village).filter((s) => s.kind !== 'reload').length);
    const firstTable = page.locator('table.stop[data-stop-number="1"]');
    expect(await firstTable.textContent()).toContain(first.name!);
    expect(await firstTable.textContent()).toContain('李桂兰');
    expect(await firstTable.locator('tr.parcel.status-delivered').count()).toBe(first.deliverCount);
    await page.screenshot({ path: join(ARTIFACTS, 'driver-phone-manifest.png') });
    await page.goBack();
    await expect.poll(() => page.locator('#stops li.done').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
