/**
 * `npm run demo`: one realistic day in Qin County, end to end, on a bare machine.
 *
 * migrate a local SQLite file (data/demo.db) → load the county network → courier keys → generate
 * the day → start the API in this process on a free loopback port → submit every parcel and
 * pickup through the real HTTP API → consolidate and plan through BullMQ workers when Redis
 * answers (otherwise the same processors run in this process) → print the summary.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import cliProgress from 'cli-progress';
import { Queue, type ConnectionOptions } from 'bullmq';
import { createApiKey } from '../auth/api-keys.ts';
import { environmentWith, loadConfig, type Config } from '../config.ts';
import { createDb } from '../db/database.ts';
import { DEFAULT_COUNTY_ID } from '../db/schema.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { loadNetwork, networkRows, seedNetwork } from '../network/index.ts';
import { daySettings, serviceDateFor } from '../planning/day-model.ts';
import type { SavingsReport } from '../planning/metrics.ts';
import { consolidateParcels } from '../consolidation/consolidation.repository.ts';
import { plannerDeps } from '../pipeline/plan.deps.ts';
import { runDay } from '../pipeline/day-runner.ts';
import type { PlanSummary } from '../pipeline/plan.steps.ts';
import type { DaySettlement } from '../settlement/settlement.ts';
import { indexNetwork } from '../planning/network-index.ts';
import { checkRedis } from '../setup-checks.ts';
import { QUEUE_NAMES, redisOptionsFromUrl } from '../queue/queues.ts';
import { generateDay } from './generate.ts';
import { clockOf } from '../planning/duty.ts';

export interface DemoOptions {
  readonly parcels: number;
  readonly seed: number;
  /** Per-problem work budget (solver iterations; default PLAN_ITERATIONS): the plan is reproducible. */
  readonly maxIterations?: number;
  /** Per-problem wall-clock cap (default PLAN_TIME_LIMIT_MS, else 60 s). */
  readonly timeLimitMs?: number;
  readonly savings: boolean;
  /** Force the in-process path even when Redis answers. */
  readonly noRedis: boolean;
  readonly dbFile: string;
  readonly quiet?: boolean;
  /** Print the summary as JSON instead of text. */
  readonly json?: boolean;
  /** Book the pickups before the first parcel (default true); false sends both at once. */
  readonly pickupsFirst?: boolean;
  /** Longest wait for the consolidate workers before planning (default 10 s); prepare sorts the rest. */
  readonly sortWaitMs?: number;
}

export interface DemoResult {
  readonly planId: string;
  readonly date: string;
  readonly mode: 'bullmq' | 'in-process';
  readonly summary: PlanSummary;
  readonly savings: SavingsReport | null;
  /** The day's settlement (provisional: it is frozen when the day closes). */
  readonly settlement: DaySettlement | null;
  /** Drivers put on the fleet for the day, and sign-in links for a couple of them. */
  readonly drivers: { readonly assigned: number; readonly links: readonly { readonly name: string; readonly vehicleId: string; readonly routes: number; readonly url: string }[] };
  readonly timings: Record<string, number>;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '郭', '马', '胡', '朱', '高', '林', '何', '罗'];
const GIVEN = ['建国', '春生', '志强', '永红', '海军', '文斌', '国庆', '晓东', '秀英', '明亮', '立新', '红梅'];

/** One driver per active vehicle, each put on its vehicle for the day through the API (the planner then names them on the routes). */
async function staffFleet(
  post: (path: string, body: unknown, method?: string) => Promise<Record<string, unknown>>,
  vehicles: readonly { readonly id: string; readonly active: number }[],
  date: string,
): Promise<Map<string, { id: string; name: string }>> {
  const byVehicle = new Map<string, { id: string; name: string }>();
  let k = 0;
  for (const v of vehicles.filter((x) => x.active !== 0)) {
    const name = `${SURNAMES[k % SURNAMES.length]}${GIVEN[Math.floor(k / SURNAMES.length) % GIVEN.length]}`;
    const driver = await post('/v1/drivers', { name, phone: `1390355${String(1000 + k).padStart(4, '0')}` });
    await post('/v1/driver-assignments', { date, vehicleId: v.id, driverId: driver.id }, 'PUT');
    byVehicle.set(v.id, { id: String(driver.id), name });
    k++;
  }
  return byVehicle;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolvePort(port));
    });
  });
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const out = (line = '') => {
    if (!options.quiet) process.stdout.write(`${line}\n`);
  };
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const mark = (name: string, since: number) => (timings[name] = Date.now() - since);
  const dbPath = resolve(options.dbFile);
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(f, { force: true });
  const prefix = `gongpei-demo-${process.pid}-${randomBytes(3).toString('hex')}`;
  const config: Config = loadConfig(environmentWith({
    DATABASE_URL: `sqlite:${dbPath}`,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: prefix,
  }));

  // 1. Database and network.
  let t = Date.now();
  const db = createDb(config.database);
  await migrateToLatest(db);
  const network = loadNetwork();
  await seedNetwork(db, network);
  const rows = networkRows(network);
  const couriers = rows.couriers.map((c) => c.code);
  const keys = new Map<string, string>();
  for (const c of couriers) keys.set(c, (await createApiKey(db, { role: 'courier', courierCode: c, label: `demo ${c}` })).key);
  const dispatcherKey = (await createApiKey(db, { role: 'dispatcher', label: 'demo dispatcher' })).key;
  mark('setupMs', t);
  out(`共配 gongpei demo — ${network.name ?? 'Qin County'}: ${rows.hubs.length - 1} township centres + county warehouse, ${rows.stations.length} stations, ${rows.vehicles.length} vehicles, ${couriers.length} couriers`);
  out(`database: ${options.dbFile} (SQLite, migrated and seeded)`);

  // 2. The day.
  // Parcels received now ride the next cut-off: today's if it is still ahead, otherwise tomorrow's.
  const date = serviceDateFor(new Date(), daySettings(config));
  const day = generateDay(rows.stations, couriers, { parcels: options.parcels, seed: options.seed, readyDate: date });
  out(`day ${date}: ${options.parcels} parcels from ${[...day.parcels.values()].filter((l) => l.length > 0).length} couriers, ${day.pickups.length} produce pickups (seed ${options.seed})`);

  // 3. API in this process; workers when Redis answers.
  const useRedis = !options.noRedis && (await checkRedis(config.REDIS_URL, { timeoutMs: 1000 }).then(() => true, () => false));
  const { startServer } = await import('../server.ts');
  // Without Redis (or with --no-redis) no relay: this process runs the processors, and Redis is not touched.
  const server = await startServer({ config, handleSignals: false, relay: useRedis, app: { requestLogging: false, rateLimit: { perSecond: 10_000, burst: 20_000 } } });
  const base = `http://127.0.0.1:${server.port}`;
  const deps = await plannerDeps(db, config, {
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
    savings: options.savings,
  });
  let stopWorkers: (() => Promise<void>) | undefined;
  if (useRedis) {
    const { startPlanWorker } = await import('../workers/plan.worker.ts');
    const { startConsolidateWorker } = await import('../workers/consolidate.worker.ts');
    // Four jobs at a time on two solver threads: database work of one overlaps the solve of another.
    const plan = startPlanWorker({ deps, redisUrl: config.REDIS_URL, prefix, concurrency: 4 });
    const consolidate = startConsolidateWorker({ db, redisUrl: config.REDIS_URL, prefix, concurrency: 16 });
    stopWorkers = async () => {
      await Promise.allSettled([plan.close(), consolidate.close()]);
    };
    out(`Redis at ${new URL(config.REDIS_URL).host}: planning through BullMQ workers (queue prefix ${prefix})`);
  } else {
    out(options.noRedis ? `--no-redis: running the workers' processors in this process; Redis is not used` : `Redis not reachable at ${new URL(config.REDIS_URL).host}: running the workers' processors in this process`);
  }

  const bars = new cliProgress.MultiBar(
    { format: ' {task} |{bar}| {value}/{total} {unit}', barsize: 30, hideCursor: true, clearOnComplete: false, stopOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  // Bars on a terminal; in a log (CI, a pipe) one line per finished phase instead of redraws.
  const tty = process.stdout.isTTY === true;
  const bar = (task: string, total: number, unit: string) => {
    if (options.quiet) return undefined;
    if (tty) return bars.create(total, 0, { task: task.padEnd(12), unit });
    let value = 0;
    const since = Date.now();
    const done = () => out(` ${task.padEnd(12)} ${total}/${total} ${unit} (${Date.now() - since} ms)`);
    return {
      increment: (k = 1) => {
        value += k;
        if (value === total) done();
      },
      update: (v: number) => {
        if (v >= total && value < total) done();
        value = v;
      },
    };
  };
  const post = async (path: string, key: string, body: unknown, method = 'POST') => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${dispatcherKey}` } });
    if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return res.json() as Promise<T>;
  };

  try {
    // 4. Submit through the real API, batches of ≤ 1,000.
    const batches: { courier: string; parcels: unknown[] }[] = [];
    for (const [courier, list] of day.parcels) for (let i = 0; i < list.length; i += 1000) batches.push({ courier, parcels: list.slice(i, i + 1000) });
    // Pickups are booked one request each, before the parcels (they are booked ahead of the day;
    // the day's clock starts with the first parcel). Sending both at once saves nothing on SQLite.
    const sendPickups = async () => {
      const since = Date.now();
      const pickupBar = bar('pickups', day.pickups.length, 'submitted');
      await pool(day.pickups, 8, async (p) => {
        await post('/v1/pickups', p.courier ? keys.get(p.courier)! : dispatcherKey, p.body);
        pickupBar?.increment();
      });
      timings.pickupsMs = Date.now() - since;
    };
    const sendParcels = async () => {
      t = Date.now();
      const parcelBar = bar('parcels', options.parcels, 'submitted');
      await pool(batches, 3, async (b) => {
        await post('/v1/parcels', keys.get(b.courier)!, { parcels: b.parcels });
        parcelBar?.increment(b.parcels.length);
      });
    };
    if (options.pickupsFirst ?? true) {
      await sendPickups();
      // The day's clock starts with the first parcel.
      await sendParcels();
    } else {
      await Promise.all([sendPickups(), sendParcels()]);
    }
    mark('submitMs', t);

    // 5. Consolidation: the workers sort as the outbox relay feeds them; or do it here.
    t = Date.now();
    const sortBar = bar('sorting', options.parcels, 'sorted');
    const received = async () => Number((await db.selectFrom('parcels').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'received').executeTakeFirstOrThrow()).n);
    let sortedByPlan = 0;
    if (useRedis) {
      // The consolidate workers sort as the relay feeds them. Planning need not wait for the last
      // one: the plan's prepare step sorts whatever is still received when it freezes the day.
      for (let left = await received(), waited = 0; left > 0; left = await received()) {
        sortBar?.update(options.parcels - left);
        if (waited >= (options.sortWaitMs ?? 10_000)) {
          sortedByPlan = left;
          break;
        }
        await sleep(200);
        waited += 200;
      }
    } else {
      await consolidateParcels(db, indexNetwork({ hubs: rows.hubs, stations: rows.stations, vehicles: rows.vehicles }), DEFAULT_COUNTY_ID, new Date().toISOString());
    }
    if (sortedByPlan === 0) sortBar?.update(options.parcels - (await received()));
    mark('consolidateMs', t);
    if (sortedByPlan > 0) out(`  ${sortedByPlan} parcels still in the consolidate queue: the plan's prepare step sorts them`);

    // 6. Drivers on the fleet for the day (before planning: the routes are stored with their driver).
    const staff = await staffFleet((path, body, method) => post(path, dispatcherKey, body, method), rows.vehicles, date);

    // 7. Plan the day.
    t = Date.now();
    const created = await post('/v1/plans', dispatcherKey, { date, seed: options.seed });
    const planId = String(created.id);
    const planBar = bar('planning', 100, '%');
    if (useRedis) {
      for (;;) {
        const p = await get<{ status: string; progress: number; error: string | null }>(`/v1/plans/${planId}`);
        planBar?.update(p.progress);
        if (p.status === 'completed') break;
        if (p.status === 'failed') throw new Error(`the plan failed: ${p.error}`);
        await sleep(250);
      }
    } else {
      await runDay(deps, planId, {
        // Two solver threads; four steps at a time so one's database work overlaps another's solve.
        concurrency: 4,
        onProgress: (p) => planBar?.update(p.phase === 'done' ? 100 : p.phase === 'villages' ? 15 + Math.round((80 * p.done) / Math.max(1, p.total)) : p.phase === 'line_haul' ? 5 : p.phase === 'finalize' ? 95 : 1),
      });
      // Nothing left for a relay to replay later: this process did the start job's work.
      await db.updateTable('outbox').set({ relayed_at: new Date().toISOString() }).where('queue', '=', QUEUE_NAMES.plan).where('relayed_at', 'is', null).execute();
    }
    planBar?.update(100);
    mark('planMs', t);
    bars.stop();

    const plan = await db.selectFrom('plans').selectAll().where('id', '=', planId).executeTakeFirstOrThrow();
    const summary = JSON.parse(plan.summary_json!) as PlanSummary;
    const savings = plan.savings_json ? (JSON.parse(plan.savings_json) as SavingsReport) : null;
    const settlement = plan.settlement_json ? (JSON.parse(plan.settlement_json) as DaySettlement) : null;

    // 8. Sign-in links for two drivers with routes today: the line-haul's and the busiest village route's.
    const routes = await db.selectFrom('routes').select(['vehicle_id', 'tier', 'distance_m']).where('plan_id', '=', planId).orderBy('distance_m', 'desc').orderBy('vehicle_id').execute();
    const routesOf = (vehicleId: string) => routes.filter((r) => r.vehicle_id === vehicleId).length;
    const picks = [routes.find((r) => r.tier === 'line_haul'), routes.find((r) => r.tier === 'village')].filter((r) => r !== undefined).map((r) => r.vehicle_id);
    const links = [];
    for (const vehicleId of picks) {
      const driver = staff.get(vehicleId);
      if (!driver) continue;
      const link = await post(`/v1/drivers/${driver.id}/sign-in-links`, dispatcherKey, { date });
      // The phone reaches the API where `gongpei serve` listens, not this demo's short-lived port.
      links.push({ name: driver.name, vehicleId, routes: routesOf(vehicleId), url: `http://localhost:3000${String(link.path)}` });
    }
    timings.totalMs = Date.now() - t0;
    const result: DemoResult = { planId, date, mode: useRedis ? 'bullmq' : 'in-process', summary, savings, settlement, drivers: { assigned: staff.size, links }, timings };
    if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else out(formatSummary(result, rows.stations.length));
    return result;
  } finally {
    bars.stop();
    await stopWorkers?.();
    await server.close();
    await deps.close();
    if (useRedis) await dropQueues(config.REDIS_URL, prefix);
    await db.destroy();
  }
}

/** The demo's queues live under a one-off prefix; remove them so Redis keeps nothing of the run. */
async function dropQueues(redisUrl: string, prefix: string): Promise<void> {
  for (const name of [QUEUE_NAMES.consolidate, QUEUE_NAMES.plan]) {
    const q = new Queue(name, { connection: redisOptionsFromUrl(redisUrl) as ConnectionOptions, prefix });
    try {
      await q.obliterate({ force: true });
    } catch {
      // best effort: a leftover demo prefix is harmless
    } finally {
      await q.close();
    }
  }
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
const n = (x: number) => x.toLocaleString('en-US');

export function formatSummary(r: DemoResult, stations: number): string {
  const s = r.summary;
  const lines: string[] = [];
  const lh = s.tiers.line_haul;
  const vi = s.tiers.village;
  const types = (m: Record<string, number>) => Object.entries(m).map(([k, v]) => `${v} ${k}`).join(', ');
  lines.push('');
  lines.push(`Plan ${r.planId} for ${r.date} (${r.mode}) — completed`);
  lines.push(`  parcels      ${n(s.parcels.eligible)} eligible, ${n(s.parcels.planned)} planned, ${n(s.parcels.unassigned)} carried to the next day`);
  lines.push(`  pickups      ${n(s.pickups.eligible)} outbound produce, ${n(s.pickups.planned)} planned, ${n(s.pickups.unassigned)} carried over`);
  lines.push(`  stations     ${s.stationsServed} of ${stations} served today`);
  lines.push(`  line-haul    ${lh.routes} routes (${types(lh.byVehicleType)}), ${lh.km} km, ${lh.hours} h, load factor ${pct(lh.loadFactor.weight)} by weight / ${pct(lh.loadFactor.volume)} by volume`);
  lines.push(`  village      ${vi.routes} routes (${types(vi.byVehicleType)}), ${vi.km} km, ${vi.hours} h, load factor ${pct(vi.loadFactor.weight)} by weight / ${pct(vi.loadFactor.volume)} by volume`);
  lines.push(`  total        ${s.metrics.vehicleDays} vehicles, ${s.metrics.km} km, ${s.metrics.driverHours} driver hours, ¥${n(s.metrics.costYuan)}, ${s.metrics.co2Kg} kg CO₂ (estimate)`);
  const reasons = Object.entries(s.unassigned.byReason);
  lines.push(`  unassigned   ${reasons.length === 0 ? 'none' : `${reasons.map(([k, v]) => `${v} ${k}`).join(', ')}; ${s.unassigned.coldChain} of them cold-chain items`}`);
  if (s.cappedProblems !== undefined) lines.push(`  reproducible ${s.cappedProblems === 0 ? `yes: every problem spent its ${s.budget.maxIterations ?? '?'} iterations (none stopped on the ${s.budget.timeLimitMs} ms cap)` : `NO: ${s.cappedProblems} problem(s) stopped on the ${s.budget.timeLimitMs} ms cap, so this plan depends on the machine's load`}`);
  const remedies = Object.entries(s.unassigned.byRemedy ?? {});
  if (remedies.length > 0) lines.push(`  would serve  ${remedies.map(([k, v]) => `${v} items: ${k.replaceAll('_', ' ')}`).join('; ')}`);
  const d = s.duty;
  if (d) {
    const at = (x: { atS: number; vehicleId: string } | null) => (x ? `${clockOf(x.atS)} (${x.vehicleId})` : '—');
    lines.push(`  driver day   longest village route ${d.longestVillageRoute ? `${d.longestVillageRoute.hours} h (${d.longestVillageRoute.vehicleId})` : '—'}, longest of all ${d.longestRoute ? `${d.longestRoute.hours} h (${d.longestRoute.vehicleId})` : '—'}; over their duty: ${d.overDuty.length === 0 ? 'none' : d.overDuty.map((o) => `${o.vehicleId} ${o.hours} h back ${clockOf(o.endS)}`).join(', ')}`);
    lines.push(`               township vans out by ${d.latestVillageStart ? `${clockOf(d.latestVillageStart.atS)} (last township: ${d.latestVillageStart.hubId})` : '—'}, last van out ${at(d.latestVanStart)}, last back ${at(d.latestReturn)}`);
    lines.push(`  trucks       ${d.emptyTruckKm} km empty on ${d.emptyTruckLegs} legs, of which ${d.emptyReturnKm} km back to the county warehouse without produce`);
    if (d.lateTownships.length > 0) lines.push(`  late vans    ${d.lateTownships.map((x) => `${x.hubId} out at ${clockOf(x.startS)} (${x.reason})`).join(', ')}`);
  }
  if (r.savings) {
    const j = r.savings.joint;
    const a = r.savings.separate;
    const sv = r.savings.saved;
    const sh = r.savings.savedShare;
    lines.push('');
    lines.push(`Co-delivery savings (same day, each of ${Object.keys(r.savings.perCourier).length} operators alone with its own fleet copy; same solver, ${r.savings.budget.maxIterations !== undefined ? `${r.savings.budget.maxIterations} iterations` : `${r.savings.budget.timeLimitMs} ms`} per problem):`);
    lines.push(`               joint      each alone   saved`);
    const row = (label: string, x: number, y: number, d: number, share: number) => `  ${label.padEnd(12)} ${String(x).padStart(9)}  ${String(y).padStart(11)}   ${d} (${pct(share)})`;
    lines.push(row('km', j.km, a.km, sv.km, sh.km));
    lines.push(row('vehicle-days', j.vehicleDays, a.vehicleDays, sv.vehicleDays, sh.vehicleDays));
    lines.push(row('driver hours', j.driverHours, a.driverHours, sv.driverHours, sh.driverHours));
    lines.push(row('cost ¥', j.costYuan, a.costYuan, sv.costYuan, sh.costYuan));
    lines.push(row('CO₂ kg', j.co2Kg, a.co2Kg, sv.co2Kg, sh.co2Kg));
    const eq = r.savings.equalWork;
    if (eq) lines.push(`  equal work: both sides measured on the ${n(eq.items)} items served jointly and alone; left out: ${eq.aloneOnly} the joint plan carried to the next day, ${eq.jointOnly} an operator alone could not serve`);
    else if (a.unassigned !== j.unassigned) lines.push(`  (unplanned items: joint ${j.unassigned}, operators alone ${a.unassigned})`);
  }
  if (r.settlement) {
    const st = r.settlement;
    const yuan = (fen: number | null) => (fen === null ? '—' : (fen / 100).toFixed(2));
    lines.push('');
    lines.push(`Settlement 结算 (${st.rule}; provisional until the day closes): joint cost ¥${yuan(st.jointCostFen)} split by Shapley shares of the route game${st.exact ? ' (exact)' : ' (sampled)'}`);
    lines.push(`  courier            share ¥    alone ¥    saved ¥   saved   routes`);
    for (const c of st.couriers) {
      const saved = c.savedFen === null || c.aloneFen === null || c.aloneFen === 0 ? '—' : pct(c.savedFen / c.aloneFen);
      lines.push(`  ${c.courier.padEnd(16)} ${yuan(c.shareFen).padStart(9)}  ${yuan(c.aloneFen).padStart(9)}  ${yuan(c.savedFen).padStart(9)}  ${saved.padStart(6)}   ${String(c.routes).padStart(5)}${c.capped ? '  (capped at alone)' : ''}${c.aloneMissingItems > 0 ? `  (alone missed ${c.aloneMissingItems} items)` : ''}`);
    }
    const sum = st.couriers.reduce((a, c) => a + c.shareFen, 0);
    lines.push(`  shares sum to ¥${yuan(sum)} (joint ¥${yuan(st.jointCostFen)}); every share below its courier's stand-alone cost: ${st.individuallyRational === null ? 'not compared' : st.individuallyRational ? 'yes' : 'NO'}; coalitions paying more than they would alone on the joint routes: ${st.coreViolations === null ? 'not checked' : st.coreViolations.length === 0 ? 'none' : st.coreViolations.map((v) => `${v.couriers.join('+')} +¥${yuan(v.excessFen)}`).join(', ')}`);
  }
  if (r.drivers.assigned > 0) {
    lines.push('');
    lines.push(`Drivers: ${r.drivers.assigned} put on the fleet for ${r.date}. Sign-in links (single-use, 12 h; serve the demo database with DATABASE_URL=sqlite:data/demo.db npx gongpei serve):`);
    for (const l of r.drivers.links) lines.push(`  ${l.name} (${l.vehicleId}, ${l.routes} route${l.routes === 1 ? '' : 's'}): ${l.url}`);
  }
  const tm = r.timings;
  lines.push('');
  lines.push(`Timings: setup ${tm.setupMs} ms, pickups ${tm.pickupsMs} ms, parcels ${tm.submitMs} ms, sort ${tm.consolidateMs} ms, plan ${tm.planMs} ms, total ${((tm.totalMs ?? 0) / 1000).toFixed(1)} s`);
  lines.push('');
  lines.push('Next: open the dashboard with `npx gongpei serve` and then http://localhost:3000/');
  lines.push('      (DATABASE_URL=sqlite:data/demo.db to see this day; dispatcher keys: `npx gongpei keys create --role dispatcher`)');
  return lines.join('\n');
}
