/**
 * A client an integrator would generate: openapi-typescript (default options) on the served
 * /openapi.json, openapi-fetch over it (client/calls.ts). The test
 * - generates the types from the running server's document on every run and runs tsc on
 *   calls.ts beside them, so the suite fails when the document stops accepting what the calls
 *   send (minimal bodies, the destination's three forms, dimensions as a tuple) or starts
 *   accepting what it must refuse. (client/gongpei-api.ts is a committed copy for editors and
 *   `npm run typecheck`; `npm run openapi:types` refreshes it. The gate is the fresh one, so a
 *   documentation change that breaks no call does not fail here.)
 * - makes those calls against a real server and checks the answers.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, webhookConfig } from '../../../src/config.ts';
import { clientTypes } from '../../../scripts/openapi-client-types.ts';
import { DURING_DAY, seedPlannedDay, type PlannedDay } from '../manifests/fixture.ts';
import { STATIONS, startApi, type ApiContext } from '../http/helpers.ts';
import * as calls from './client/calls.ts';

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));
const TSC = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const waybill = () => `ZT${randomUUID().replace(/-/g, '').slice(0, 12)}`;

describe('a typed client generated from /openapi.json', () => {
  let api: ApiContext;
  let day: PlannedDay;
  let fresh: string;

  beforeAll(async () => {
    // The webhook URL the client saves is on loopback (nothing is sent: no notify worker runs).
    api = await startApi('sqlite', { app: { webhook: webhookConfig(loadConfig({ WEBHOOK_ALLOW_ADDRESSES: '127.0.0.1/32' })), clock: DURING_DAY } });
    day = await seedPlannedDay(api.db);
    const doc = await api.request('GET', '/openapi.json', { key: null });
    expect(doc.status).toBe(200);
    fresh = await clientTypes(doc.body as object);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('type-checks the client’s calls against types generated from the served document', async () => {
    // Inside the project (test/artifacts is ignored), so openapi-fetch resolves from node_modules.
    const dir = join(HERE, '..', '..', 'artifacts', `openapi-client-${randomUUID()}`);
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(join(dir, 'gongpei-api.ts'), fresh);
      copyFileSync(join(HERE, 'client', 'calls.ts'), join(dir, 'calls.ts'));
      const compilerOptions = {
        target: 'ES2023',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        allowImportingTsExtensions: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        noEmit: true,
        types: ['node'],
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['calls.ts'] }));
      const result = await run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')]).then(
        () => '',
        (e: { stdout?: string }) => e.stdout ?? String(e),
      );
      expect(result, 'tsc on client/calls.ts against freshly generated types').toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes the minimal calls against a real server', async () => {
    const courier = calls.gongpeiClient(api.base, api.keys.zto);
    const dispatcher = calls.gongpeiClient(api.base, api.keys.dispatcher);
    const driver = calls.gongpeiClient(api.base, api.keys.driver);

    // One parcel per destination form, each with only the required fields.
    const forms = calls.destinationForms(STATIONS.guocun, '故县镇', '故县村委会', 36.62, 112.56);
    const expected = { byStation: STATIONS.guocun, byVillage: STATIONS.guxian, byNames: STATIONS.guxian, byPoint: STATIONS.xiaoheA };
    for (const [form, destination] of Object.entries(forms)) {
      const res = await calls.createParcel(courier, calls.minimalParcel(waybill(), destination));
      expect(res.response.status, form).toBe(201);
      expect(res.data, form).toMatchObject({ stationCode: expected[form as keyof typeof expected], coldChain: false, fragile: false, codAmountFen: 0, dimensionsCm: null });
    }
    const sized = await calls.createParcelWithDimensions(courier, waybill(), forms.byStation);
    expect(sized.data).toMatchObject({ dimensionsCm: [30, 20, 15], volumeCm3: 9000 });
    const batch = await calls.createParcelBatch(courier, [calls.minimalParcel(waybill(), forms.byStation), calls.minimalParcel(waybill(), forms.byPoint)]);
    expect(batch.response.status).toBe(201);
    expect(batch.data).toMatchObject({ created: 2, existing: 0 });
    const single = calls.minimalParcel(waybill(), forms.byStation);
    await calls.createParcel(courier, single);
    expect((await calls.getParcel(courier, single.waybill)).data).toMatchObject({ waybill: single.waybill, status: 'received' });

    // A refused body comes back as the typed error.
    const refused = await calls.createParcel(courier, { ...calls.minimalParcel(waybill(), { village: '没有这个村' }) });
    expect(refused.response.status).toBe(422);
    expect(refused.error?.error.code).toBe('unprocessable');

    const pickup = await calls.createPickup(courier, STATIONS.guocun, '2026-12-02');
    expect(pickup.response.status).toBe(201);
    expect(pickup.data).toMatchObject({ weightG: 120_000, volumeCm3: 400_000, pieces: 1, coldChain: false });
    expect((await calls.getPickup(courier, pickup.data!.id)).data?.id).toBe(pickup.data!.id);

    const hook = await calls.webhookRoundTrip(courier, 'http://127.0.0.1:9/gongpei/events');
    expect([hook.set.response.status, hook.read.response.status, hook.removed.response.status]).toEqual([200, 200, 200]);
    expect(hook.read.data).toMatchObject({ courier: 'ZTO', url: 'http://127.0.0.1:9/gongpei/events', secretSet: true });
    expect(hook.removed.data).toMatchObject({ url: null, secretSet: false });

    const arrived = await calls.recordArrival(driver, day.stops.guocun);
    expect(arrived.response.status).toBe(200);
    expect(arrived.data).toMatchObject({ stopId: day.stops.guocun, type: 'arrived' });

    const manifests = await calls.getManifests(driver, day.routeA);
    expect(manifests.json.data?.routeId).toBe(day.routeA);
    expect(manifests.html.response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(manifests.html.data).toContain('<html');

    const requested = await calls.requestPlan(dispatcher, '2026-12-02');
    expect(requested.response.status).toBe(202);
    expect(requested.response.headers.get('location')).toBe(`/v1/plans/${requested.data!.id}`);
    expect(requested.data).toMatchObject({ date: '2026-12-02', seed: 1, started: true });
    const seeded = await calls.readPlan(dispatcher, day.planId, '2026-11-20');
    expect(seeded.plan.data).toMatchObject({ id: day.planId, status: 'completed' });
    expect(seeded.list.data?.plans.map((p) => p.id)).toContain(day.planId);
    expect(seeded.routes.data?.routes.map((r) => r.id).sort()).toEqual([day.routeA, day.routeB].sort());
    expect(seeded.geojson.data).toMatchObject({ type: 'FeatureCollection' });
    // Made without the co-delivery comparison: the typed 404.
    expect(seeded.savings.response.status).toBe(404);
    expect(seeded.savings.error?.error.code).toBe('not_found');
    const queued = await calls.readPlan(dispatcher, requested.data!.id, '2026-12-02');
    expect(queued.savings.response.status).toBe(409);

    const stats = await calls.getStats(dispatcher, '2026-11-01', '2026-12-31');
    expect(stats.response.status).toBe(200);
    expect(stats.data?.parcels.total).toBeGreaterThanOrEqual(9);
  });
});
