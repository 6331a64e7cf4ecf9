/**
 * Scenario 1, crash under load: parcels sent concurrently while the API process is SIGKILLed
 * twice (at one third and two thirds of the acknowledged parcels) and restarted on the same port.
 * Clients retry unacknowledged requests with the same waybills. Every parcel that got a 2xx must
 * be stored exactly once, with its consolidation outbox row, and reach the consolidate queue.
 */
import type { DialectName } from '../../../src/db/database.ts';
import { createEnv, endRun, request, SHARED_REDIS_URL, startApi, type ApiProcess, type ScenarioResult } from '../harness.ts';
import { audit, auditCounts, buildLoad, runLoad, waitForOutboxDrained } from '../intake-load.ts';

export interface CrashOptions {
  readonly dialect: DialectName;
  readonly parcels: number;
  readonly kills?: number;
  readonly concurrency?: number;
}

export async function crashUnderLoad(options: CrashOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const kills = options.kills ?? 2;
  const env = await createEnv(options.dialect);
  let api: ApiProcess | undefined;
  try {
    api = await startApi({ databaseUrl: env.url, redisUrl: SHARED_REDIS_URL, prefix: env.prefix });
    const port = api.port;
    const items = buildLoad(env, options.parcels, Date.now().toString(36).slice(-5).toUpperCase());
    const thresholds = Array.from({ length: kills }, (_, i) => Math.floor(((i + 1) * options.parcels) / (kills + 1)));
    let killed = 0;
    let killing: Promise<void> = Promise.resolve();
    const restartErrors: string[] = [];
    const onAck = (n: number) => {
      if (killed < kills && n >= thresholds[killed]! && api !== undefined) {
        killed++;
        const victim = api;
        api = undefined;
        killing = killing.then(async () => {
          await victim.kill('SIGKILL');
          try {
            api = await startApi({ databaseUrl: env.url, redisUrl: SHARED_REDIS_URL, prefix: env.prefix, port });
          } catch (err) {
            restartErrors.push((err as Error).message.slice(0, 500));
          }
        });
      }
    };
    const base = `http://127.0.0.1:${port}`;
    const load = await runLoad(items, { base: () => base, concurrency: options.concurrency ?? 16, deadlineMs: 240_000, onAck });
    await killing;
    if (api === undefined) api = await startApi({ databaseUrl: env.url, redisUrl: SHARED_REDIS_URL, prefix: env.prefix, port });
    // Clients that never learnt the outcome send again: a sample of acknowledged requests replayed
    // verbatim must answer 200 with the parcels already stored (same ids), creating nothing.
    const stored = new Map((await env.db.selectFrom('parcels').select(['id', 'courier_code', 'waybill']).execute()).map((r) => [`${r.courier_code}\u0000${r.waybill}`, r.id]));
    const replays = items.filter((_, i) => i % Math.max(1, Math.floor(items.length / 40)) === 0);
    const replayProblems: string[] = [];
    for (const it of replays) {
      const r = await request(base, 'POST', '/v1/parcels', { key: it.key, json: it.body });
      const got: { id?: string; waybill?: string }[] = 'parcels' in (it.body as object) ? (r.body?.parcels ?? []) : [r.body];
      const sameIds = got.length === it.waybills.length && got.every((p, i) => p.waybill === it.waybills[i] && p.id === stored.get(`${it.courier}\u0000${it.waybills[i]}`));
      if (r.status !== 200 || !sameIds) replayProblems.push(`${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
    }
    const backlog = await waitForOutboxDrained(env.db, 60_000);
    const a = await audit(env.db, load.acked, { redisUrl: SHARED_REDIS_URL, prefix: env.prefix });
    const failures: string[] = [...restartErrors];
    if (killed < kills) failures.push(`only ${killed} of ${kills} kills happened during the load`);
    if (load.unexpected.length > 0) failures.push(`${load.unexpected.length} unexpected answer(s) to valid parcels: ${load.unexpected.slice(0, 3).join(' | ')}`);
    if (load.unacknowledgedItems > 0) failures.push(`${load.unacknowledgedItems} request(s) never acknowledged before the deadline`);
    if (replayProblems.length > 0) failures.push(`${replayProblems.length} of ${replays.length} verbatim replays did not answer 200 with the stored parcels: ${replayProblems.slice(0, 2).join(' | ')}`);
    if (a.outboxMissing > 0) failures.push(`${a.outboxMissing} stored parcel(s) without exactly one consolidate outbox row`);
    if (backlog > 0) failures.push(`${backlog} outbox row(s) still not relayed`);
    if (a.notInQueue > 0) failures.push(`${a.notInQueue} stored parcel(s) not in the consolidate queue`);
    return {
      scenario: '1 crash under load',
      database: options.dialect,
      load: `${options.parcels} parcels, ${items.length} req (+${load.retries} retries, ${replays.length} replays), c=${options.concurrency ?? 16}`,
      faults: `API SIGKILL ×${killed}`,
      badInputs: 0,
      ...auditCounts(a),
      failures,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await endRun(env, api);
  }
}
