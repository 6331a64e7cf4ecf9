/**
 * Fixing the map in the npm-shipped headless Chromium (issue 15 item 2), on the real Qin County
 * network with a small planned day: at 1440×900 the dispatcher switches on "move stations", drags a
 * station's pin, sees the confirm (old → new position, how far), gives a reason and saves. The
 * station's stored position is where the pin was dropped, its quality is `corrected`, the move is
 * in its audit trail, and after a reload the dot is drawn, as corrected, at the new place. A drag
 * that is cancelled moves nothing. On a phone (390×844) the legend starts folded, so it does not
 * cover the map's corner. Screenshots go to test/artifacts/ (git-ignored) for a human.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDay } from '../../src/demo/generate.ts';
import { haversineMetres } from '../../src/geo/matrix.ts';
import { daySettings, serviceDateFor } from '../../src/planning/day-model.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { launchBrowser } from '../support/browser.ts';
import { prepareE2eDatabase, removeQueues, submitAndPlan } from './submit-and-plan.ts';
import { REDIS_URL } from '../integration/http/helpers.ts';

const ARTIFACTS = resolve(import.meta.dirname, '..', 'artifacts');

interface StationFeature {
  geometry: { coordinates: [number, number] };
  properties: { layer: string; code?: string; quality?: string };
}

describe('moving a station on the dashboard map in chromium', () => {
  const work = mkdtempSync(join(tmpdir(), 'gongpei-station-moves-'));
  const prefix = `test-station-moves-${randomBytes(4).toString('hex')}`;
  let server: RunningServer;
  let browser: Browser;
  let base: string;
  let dispatcherKey: string;
  let planDate: string;

  const getJson = async <T,>(path: string): Promise<T> => (await (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${dispatcherKey}` } })).json()) as T;
  const stationOf = async (code: string) => (await getJson<{ features: StationFeature[] }>('/v1/network.geojson')).features.find((f) => f.properties.layer === 'station' && f.properties.code === code)!;

  beforeAll(async () => {
    const prepared = await prepareE2eDatabase(join(work, 'day.db'), prefix);
    const { config, setup, rows, couriers, courierKeys } = prepared;
    dispatcherKey = prepared.dispatcherKey;
    await setup.destroy();
    server = await startServer({ config, handleSignals: false, app: { requestLogging: false, rateLimit: { perSecond: 10_000, burst: 20_000 } } });
    base = `http://127.0.0.1:${server.port}`;
    planDate = serviceDateFor(new Date(), daySettings(config));
    // A small day: the routes are the backdrop here, the stations are what moves.
    const day = generateDay(rows.stations, couriers, { parcels: 1500, seed: 3, readyDate: planDate });
    await submitAndPlan({ base, config, db: server.db, courierKeys, dispatcherKey, day, date: planDate, timeLimitMs: 100, savings: false });
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await removeQueues(REDIS_URL, prefix);
    rmSync(work, { recursive: true, force: true });
  });

  async function openDashboard(page: Page, lang: 'zh' | 'en'): Promise<void> {
    await page.addInitScript(`sessionStorage.setItem('gongpei.dispatcherKey', ${JSON.stringify(dispatcherKey)}); localStorage.setItem('gongpei.lang', '${lang}');`);
    await page.goto(`${base}/?date=${planDate}`);
    await page.locator('#planBadge[data-status="completed"]').waitFor({ timeout: 60_000 });
    await page.locator('.station-marker[data-station]').first().waitFor({ state: 'attached' });
    // The day's figures are drawn (the legend counts the unassigned).
    await page.locator('#legend summary').waitFor({ state: 'attached' });
  }

  /**
   * A station pin the pointer can grab: the top element at its centre is that pin (at county zoom
   * many overlap), well inside the map, with room to drag it `dx` right and `dy` down.
   */
  async function grabbablePin(page: Page, dx: number, dy: number, skip: readonly string[] = []): Promise<{ code: string; x: number; y: number }> {
    const found = await page.evaluate(
      ({ dx, dy, skip }) => {
        // In the page (this project's TypeScript has no DOM types).
        interface Box {
          left: number;
          right: number;
          top: number;
          bottom: number;
          width: number;
          height: number;
        }
        interface El {
          getBoundingClientRect(): Box;
          getAttribute(name: string): string | null;
        }
        const document = (globalThis as unknown as { document: { getElementById(id: string): El; querySelectorAll(sel: string): Iterable<El>; elementFromPoint(x: number, y: number): El | null } }).document;
        const map = document.getElementById('map').getBoundingClientRect();
        const pins = [...document.querySelectorAll('.station-pin[data-station]')];
        for (const pin of pins) {
          const code = pin.getAttribute('data-station')!;
          if (skip.includes(code)) continue;
          const r = pin.getBoundingClientRect();
          const x = r.left + r.width / 2;
          const y = r.top + r.height / 2;
          const inside = (px: number, py: number) => px > map.left + 80 && px < map.right - 80 && py > map.top + 80 && py < map.bottom - 80;
          if (!inside(x, y) || !inside(x + dx, y + dy)) continue;
          if (document.elementFromPoint(x, y) !== pin) continue;
          return { code, x, y };
        }
        return null;
      },
      { dx, dy, skip },
    );
    if (!found) throw new Error('no station pin free to grab on the map');
    return found;
  }

  async function drag(page: Page, from: { x: number; y: number }, dx: number, dy: number): Promise<void> {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + dx / 2, from.y + dy / 2, { steps: 5 });
    await page.mouse.move(from.x + dx, from.y + dy, { steps: 5 });
    await page.mouse.up();
  }

  it('1440×900: drag a station, confirm old → new, save; stored, audited, corrected, and drawn at the new place after a reload', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openDashboard(page, 'zh');
    // Every station is drawn with its position's quality; the legend explains the three.
    expect(await page.locator('#qualityKeys .quality-key').count()).toBe(3);
    const drawn = await page.locator('.station-marker[data-station]').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-quality')))]);
    expect(drawn.every((q) => ['known', 'estimated', 'corrected'].includes(q!))).toBe(true);

    await page.locator('#moveModeBtn').click();
    expect(await page.locator('#moveModeBtn').getAttribute('aria-pressed')).toBe('true');
    await page.locator('.station-pin[data-station]').first().waitFor();

    // A drag that is cancelled: the pin goes back, nothing is stored.
    const [dx, dy] = [70, -45];
    const tried = await grabbablePin(page, dx, dy);
    const triedBefore = await stationOf(tried.code);
    await drag(page, tried, dx, dy);
    await page.locator('#moveDialog[open]').waitFor();
    await page.locator('#moveCancel').click();
    expect(await page.locator('#moveDialog[open]').count()).toBe(0);
    const back = await page.locator(`.station-pin[data-station="${tried.code}"]`).boundingBox();
    expect(Math.abs(back!.x + back!.width / 2 - tried.x)).toBeLessThan(1.5);
    expect(Math.abs(back!.y + back!.height / 2 - tried.y)).toBeLessThan(1.5);
    expect(await stationOf(tried.code)).toEqual(triedBefore);

    // The real move.
    const grab = await grabbablePin(page, dx, dy, [tried.code]);
    // The drop point within the map (the page above it may lay out differently after a reload).
    const mapBox = (await page.locator('#map').boundingBox())!;
    const drop = { x: grab.x + dx - mapBox.x, y: grab.y + dy - mapBox.y };
    const before = await stationOf(grab.code);
    await drag(page, grab, dx, dy);
    await page.locator('#moveDialog[open]').waitFor();
    const shownMetres = Number(await page.locator('#moveDistance').getAttribute('data-metres'));
    expect(shownMetres).toBeGreaterThan(1000); // 84 px at the county's zoom is kilometres
    const shownTo = await page.locator('#moveTo').textContent();
    expect(await page.locator('#moveFrom').textContent()).toContain(`${before.geometry.coordinates[1].toFixed(5)}, ${before.geometry.coordinates[0].toFixed(5)}`);
    await page.screenshot({ path: join(ARTIFACTS, 'station-move-desk-zh-confirm.png') });
    // Saving without a reason is refused in the dialog; nothing is sent.
    await page.locator('#moveSave').click();
    expect(await page.locator('#moveError').textContent()).toContain('必填');
    expect(await page.locator('#moveDialog[open]').count()).toBe(1);
    await page.locator('#moveReason').fill('站长电话确认: 站点在村口小卖部');
    await page.locator('#moveSave').click();
    await page.locator('#moveNotice').waitFor();
    expect(await page.locator('#moveDialog[open]').count()).toBe(0);

    // Stored where it was dropped, as shown in the confirm, marked corrected, and audited.
    const after = await stationOf(grab.code);
    expect(after.properties.quality).toBe('corrected');
    const [lon, lat] = after.geometry.coordinates;
    expect(shownTo).toContain(`${lat.toFixed(5)}, ${lon.toFixed(5)}`);
    const [lon0, lat0] = before.geometry.coordinates;
    expect(Math.abs(haversineMetres({ lat, lon }, { lat: lat0, lon: lon0 }) - shownMetres)).toBeLessThan(shownMetres * 0.005 + 1);
    // Dragged right and up: east and north.
    expect(lon).toBeGreaterThan(lon0);
    expect(lat).toBeGreaterThan(lat0);
    const row = await server.db.selectFrom('stations').select(['lat', 'lon', 'coord_quality']).where('code', '=', grab.code).executeTakeFirstOrThrow();
    expect(row).toEqual({ lat, lon, coord_quality: 'corrected' });
    const audit = await server.db.selectFrom('station_moves').selectAll().where('station_code', '=', grab.code).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ from_lat: lat0, from_lon: lon0, to_lat: lat, to_lon: lon, to_quality: 'corrected', reason: '站长电话确认: 站点在村口小卖部' });
    expect(await server.db.selectFrom('station_moves').select('id').where('station_code', '=', tried.code).execute()).toEqual([]);

    // The card says so, and lists the move.
    expect(await page.locator('#stationPosition').getAttribute('data-quality')).toBe('corrected');
    await page.locator('#moveHistoryBtn').click();
    await page.locator('#moveHistory li').first().waitFor();
    expect(await page.locator('#moveHistory li').count()).toBe(1);
    expect(await page.locator('#moveHistory li').first().textContent()).toContain('站长电话确认');
    await page.screenshot({ path: join(ARTIFACTS, 'station-move-desk-zh-saved.png') });

    // After a reload (same view: the map fits the county again) the dot is at the drop point, drawn as corrected.
    await page.reload();
    await page.locator('#planBadge[data-status="completed"]').waitFor({ timeout: 60_000 });
    await page.locator('#legend summary').waitFor({ state: 'attached' });
    const dot = page.locator(`.station-marker[data-station="${grab.code}"]`);
    await dot.waitFor({ state: 'attached' });
    expect(await dot.getAttribute('data-quality')).toBe('corrected');
    const box = (await dot.boundingBox())!;
    const mapAfter = (await page.locator('#map').boundingBox())!;
    expect(Math.abs(box.x + box.width / 2 - mapAfter.x - drop.x)).toBeLessThan(2);
    expect(Math.abs(box.y + box.height / 2 - mapAfter.y - drop.y)).toBeLessThan(2);
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);

  it('390×844: the legend starts folded and leaves the map’s corner free; unfolded it lists the position qualities', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openDashboard(page, 'en');
    const legend = page.locator('#legend');
    expect(await page.locator('#legend details').getAttribute('open')).toBeNull();
    const map = (await page.locator('#map').boundingBox())!;
    const folded = (await legend.boundingBox())!;
    // Folded, it is one line: a small share of the map.
    expect(folded.height).toBeLessThan(40);
    expect(folded.width * folded.height).toBeLessThan(map.width * map.height * 0.05);
    expect(await page.locator('#moveModeBtn').textContent()).toBe('Move stations');
    await page.screenshot({ path: join(ARTIFACTS, 'station-move-phone-en-folded.png') });
    await page.locator('#legend summary').click();
    await page.locator('#qualityKeys').waitFor();
    expect(await page.locator('#qualityKeys').textContent()).toContain('corrected');
    await page.screenshot({ path: join(ARTIFACTS, 'station-move-phone-en-legend.png') });
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
