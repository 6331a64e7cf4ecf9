/**
 * Manual route edits in the npm-shipped headless Chromium on a full generated day (12,000 parcels,
 * the real Qin County network, submitted through the API and planned by the planner's runner):
 * at 1440×900 the dispatcher selects a village route, moves a stop (the ▼ button and a "move to"
 * another route of the same township), sees the change in km and cost evaluated by the server
 * before saving, saves, and the dashboard shows the new plan version; the route's driver opens
 * the sign-in link on a phone-sized page and sees the stops in the new order. Screenshots go to
 * test/artifacts/ (git-ignored) for a human.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDay } from '../../src/demo/generate.ts';
import { daySettings, serviceDateFor } from '../../src/planning/day-model.ts';
import type { RouteView } from '../../src/plans/plan.service.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { launchBrowser } from '../support/browser.ts';
import { prepareE2eDatabase, removeQueues, submitAndPlan } from './submit-and-plan.ts';
import { REDIS_URL } from '../integration/http/helpers.ts';

const ARTIFACTS = resolve(import.meta.dirname, '..', 'artifacts');
const PARCELS = 12_000;

const stations = (r: RouteView) => r.stops.filter((s) => s.kind === 'station');

describe('manual route edits in chromium on a full day', () => {
  const work = mkdtempSync(join(tmpdir(), 'gongpei-route-edits-'));
  const prefix = `test-route-edits-${randomBytes(4).toString('hex')}`;
  let server: RunningServer;
  let browser: Browser;
  let base: string;
  let dispatcherKey: string;
  let planId: string;
  let planDate: string;
  let routes: RouteView[];

  const auth = () => ({ authorization: `Bearer ${dispatcherKey}`, 'content-type': 'application/json' });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const send = async (path: string, body: unknown, method = 'POST'): Promise<any> => {
    const res = await fetch(`${base}${path}`, { method, headers: auth(), body: JSON.stringify(body) });
    expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
    return res.json();
  };
  const getJson = async <T,>(path: string): Promise<T> => (await (await fetch(`${base}${path}`, { headers: auth() })).json()) as T;

  beforeAll(async () => {
    const prepared = await prepareE2eDatabase(join(work, 'day.db'), prefix);
    const { config, setup, rows, couriers, courierKeys: keys } = prepared;
    dispatcherKey = prepared.dispatcherKey;
    await setup.destroy();

    server = await startServer({ config, handleSignals: false, app: { requestLogging: false, rateLimit: { perSecond: 10_000, burst: 20_000 } } });
    base = `http://127.0.0.1:${server.port}`;
    planDate = serviceDateFor(new Date(), daySettings(config));
    const day = generateDay(rows.stations, couriers, { parcels: PARCELS, seed: 7, readyDate: planDate });
    // A small solver budget: this test is about editing a day's routes, not their optimality.
    planId = await submitAndPlan({ base, config, db: server.db, courierKeys: keys, dispatcherKey, day, date: planDate, timeLimitMs: 200, savings: false });
    routes = (await getJson<{ routes: RouteView[] }>(`/v1/plans/${planId}/routes`)).routes;
    expect(routes.length).toBeGreaterThan(10);
    // In front of the drivers: the edit changes what they see.
    await send(`/v1/plans/${planId}/publish`, {});
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await removeQueues(REDIS_URL, prefix);
    rmSync(work, { recursive: true, force: true });
  });

  it('1440×900: select a route, move a stop, the cost change appears, save, the new version is shown, and the driver sees the new order', async () => {
    // A village route with at least three stations whose township has another village route.
    const village = routes.filter((r) => r.tier === 'village');
    // A mid-sized one reads best on screen: the longest with at most 15 stations.
    const a = village
      .filter((r) => stations(r).length >= 3 && village.some((o) => o.id !== r.id && o.hubId === r.hubId && stations(o).length >= 1))
      .sort((x, y) => Number(stations(x).length > 15) - Number(stations(y).length > 15) || stations(y).length - stations(x).length)[0];
    if (!a) throw new Error('no township with two village routes on the planned day');
    const b = village.filter((o) => o.id !== a.id && o.hubId === a.hubId)[0]!;
    const before = stations(a).map((s) => s.id);
    // The edit made in the browser: A's first stop one place down, then A's last stop to route B.
    const expectedA = [before[1]!, before[0]!, ...before.slice(2, -1)];
    const expectedB = [...stations(b).map((s) => s.id), before[before.length - 1]!];

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const previews: number[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith(`/edits/preview`)) previews.push(r.status());
    });
    await page.addInitScript(`sessionStorage.setItem('gongpei.dispatcherKey', ${JSON.stringify(dispatcherKey)}); localStorage.setItem('gongpei.lang', 'zh');`);
    await page.goto(`${base}/?date=${planDate}`);
    await page.locator('#planBadge[data-status="completed"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#planVersion').getAttribute('data-version')).toBe('1');

    // Select the route in the table; its edit button opens the stop list with its controls.
    await page.locator(`#routes tbody tr[data-route-id="${a.id}"]`).click();
    await page.locator('#editRouteBtn').click();
    const list = page.locator(`.edit-route[data-route-id="${a.id}"] li[data-stop-id]`);
    expect(await list.evaluateAll((els) => els.map((e) => e.getAttribute('data-stop-id')))).toEqual(before);
    expect(await page.locator('#editSave').isDisabled()).toBe(true);

    // ▼ on the first stop: it swaps with the second; the server's evaluation comes back first.
    await list.nth(0).locator('button.down').click();
    await page.locator('#deltaKm').waitFor({ timeout: 30_000 });
    expect(await list.evaluateAll((els) => els.map((e) => e.getAttribute('data-stop-id')))).toEqual([before[1], before[0], ...before.slice(2)]);
    const swapKm = await page.locator('#deltaKm').textContent();
    expect(swapKm).toMatch(/^[+−±][\d.,]+ km$/);

    // The last stop moves to route B (the "move to" select), which joins the edit.
    const last = before[before.length - 1]!;
    await page.locator(`select.move-to[data-stop-id="${last}"]`).selectOption(b.id);
    await expect.poll(() => page.locator(`.edit-route[data-route-id="${b.id}"] li[data-stop-id]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-stop-id')))).toEqual(expectedB);
    await page.locator('#editCost tr[data-route-id="' + b.id + '"]').waitFor({ timeout: 30_000 });
    expect(previews.every((s) => s === 200)).toBe(true);

    // The figures shown are the server's evaluation of exactly this edit.
    const edit = { routes: [{ routeId: a.id, stopIds: expectedA }, { routeId: b.id, stopIds: expectedB }] };
    const preview = await send(`/v1/plans/${planId}/edits/preview`, edit);
    const km = (m: number) => `${m > 0 ? '+' : m < 0 ? '−' : '±'}${(Math.abs(m) / 1000).toLocaleString('zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} km`;
    expect(await page.locator('#deltaKm').textContent()).toBe(km(preview.delta.distanceM));
    const yuan = (f: number) => `${f > 0 ? '+' : f < 0 ? '−' : '±'}¥${(Math.abs(f) / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    expect(await page.locator('#deltaCost').textContent()).toBe(yuan(preview.delta.costFen));
    await page.screenshot({ path: join(ARTIFACTS, 'route-edit-desk-zh-preview.png') });

    // Save (accepting the broken rules the preview lists, if any): the new version is shown.
    if (!preview.feasible) {
      expect(await page.locator('#editViolations li').count()).toBeGreaterThan(0);
      expect(await page.locator('#editSave').isDisabled()).toBe(true);
      await page.locator('#acceptViolations').check();
    }
    await page.locator('#editSave').click();
    await expect.poll(() => page.locator('#planVersion').getAttribute('data-version'), { timeout: 30_000 }).toBe('2');
    await page.locator('#editNotice').waitFor();
    const plans = (await getJson<{ plans: { id: string; version: number; replacesPlanId: string | null; state: string }[] }>(`/v1/plans?date=${planDate}`)).plans;
    expect(plans[0]).toMatchObject({ version: 2, replacesPlanId: planId, state: 'published' });
    // The selected route's stop list now reads in the new order.
    const shownOrder = await page.locator('#stopList li.stop-station').allTextContents();
    const names = new Map(routes.flatMap((r) => r.stops).map((s) => [s.id, s.name ?? '']));
    expect(shownOrder.map((text, k) => text.includes(names.get(expectedA[k]!)!))).toEqual(expectedA.map(() => true));
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(ARTIFACTS, 'route-edit-desk-zh-saved.png') });
    expect(errors).toEqual([]);
    await context.close();

    // The route's driver opens the sign-in link: the stops in the new order.
    const driver = await send('/v1/drivers', { name: '赵师傅', phone: '13800000123' });
    await send('/v1/driver-assignments', { date: planDate, vehicleId: a.vehicleId, driverId: driver.id }, 'PUT');
    const link = await send(`/v1/drivers/${driver.id}/sign-in-links`, { date: planDate });
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const driverPage = await phone.newPage();
    const driverErrors: string[] = [];
    driverPage.on('pageerror', (e) => driverErrors.push(e.message));
    await driverPage.goto(link.url);
    const driverStops = driverPage.locator('#stops li[data-stop-id]');
    await expect.poll(() => driverStops.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const served = await driverStops.evaluateAll((els) => els.map((e) => e.getAttribute('data-stop-id')));
    expect(served.filter((id) => expectedA.includes(id!) || before.includes(id!))).toEqual(expectedA);
    await driverPage.screenshot({ path: join(ARTIFACTS, 'route-edit-driver-phone-zh.png'), fullPage: true });
    expect(driverErrors).toEqual([]);
    await phone.close();

    // On a phone, in English: the same editor, the cost first; cancelled, nothing saved.
    const small = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    const mobile = await small.newPage();
    const mobileErrors: string[] = [];
    mobile.on('pageerror', (e) => mobileErrors.push(e.message));
    await mobile.addInitScript(`sessionStorage.setItem('gongpei.dispatcherKey', ${JSON.stringify(dispatcherKey)}); localStorage.setItem('gongpei.lang', 'en');`);
    await mobile.goto(`${base}/?date=${planDate}`);
    await mobile.locator('#planVersion[data-version="2"]').waitFor({ timeout: 60_000 });
    await mobile.locator(`#routes tbody tr[data-route-id="${b.id}"]`).click();
    await mobile.locator('#editRouteBtn').click();
    await mobile.locator(`.edit-route[data-route-id="${b.id}"] li[data-stop-id] button.down`).first().click();
    await mobile.locator('#deltaKm').waitFor({ timeout: 30_000 });
    expect(await mobile.locator('#routeEdit h3').textContent()).toBe('Edit route (cost before saving)');
    await mobile.locator('#routeEdit').scrollIntoViewIfNeeded();
    await mobile.screenshot({ path: join(ARTIFACTS, 'route-edit-phone-en-preview.png') });
    await mobile.locator('#editCancel').click();
    expect(await mobile.locator('#routeEdit').count()).toBe(0);
    expect((await getJson<{ plans: unknown[] }>(`/v1/plans?date=${planDate}`)).plans).toHaveLength(2);
    expect(mobileErrors).toEqual([]);
    await small.close();
  }, 300_000);
});
