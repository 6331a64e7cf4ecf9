/**
 * Scenario 3, Redis outage: a private redis-server (never the shared one) is stopped during
 * intake and started again after `outageMs`. A third of the parcels go before, a third spread over
 * the outage, a third after. During the outage every request must still get a 2xx (no retries
 * needed) and /readyz must say `degraded`; afterwards every accepted parcel's job must be in the
 * consolidate queue.
 */
import type { DialectName } from '../../../src/db/database.ts';
import { createEnv, freePort, PrivateRedis, request, sleep, startApi, type ApiProcess, type ScenarioResult } from '../harness.ts';
import { audit, buildLoad, runLoad, waitForOutboxDrained, type LoadItem } from '../intake-load.ts';

export interface RedisOutageOptions {
  readonly dialect: DialectName;
  readonly parcels: number;
  readonly outageMs: number;
}

export async function redisOutage(options: RedisOutageOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const env = await createEnv(options.dialect);
  const redis = new PrivateRedis(await freePort());
  let api: ApiProcess | undefined;
  try {
    await redis.start();
    api = await startApi({ databaseUrl: env.url, redisUrl: redis.url, prefix: env.prefix });
    const base = api.base;
    const items = buildLoad(env, options.parcels, Date.now().toString(36).slice(-5).toUpperCase());
    const third = Math.ceil(items.length / 3);
    const [before, during, after] = [items.slice(0, third), items.slice(third, 2 * third), items.slice(2 * third)];
    const failures: string[] = [];
    const acked = new Set<string>();
    const merge = (o: Awaited<ReturnType<typeof runLoad>>, phase: string) => {
      for (const k of o.acked) acked.add(k);
      if (o.unexpected.length > 0) failures.push(`${phase}: ${o.unexpected.length} unexpected answer(s): ${o.unexpected.slice(0, 2).join(' | ')}`);
      if (o.unacknowledgedItems > 0) failures.push(`${phase}: ${o.unacknowledgedItems} request(s) never acknowledged`);
      return o;
    };
    merge(await runLoad(before, { base: () => base, concurrency: 8, deadlineMs: 60_000 }), 'before the outage');

    await redis.stop();
    const outageStart = Date.now();
    // Spread the outage third evenly over 80 % of the outage.
    const paced: LoadItem[] = during;
    const spacing = (options.outageMs * 0.8) / Math.max(1, paced.length);
    let readyz = { degraded: 0, other: [] as string[] };
    const probe = (async () => {
      while (Date.now() - outageStart < options.outageMs - 500) {
        // An admin key: anonymous callers learn only ok / unavailable.
        const r = await request(base, 'GET', '/readyz', { key: env.keys.admin, timeoutMs: 5_000 });
        if (r.status === 200 && r.body?.status === 'degraded' && r.body?.checks?.redis?.ok === false) readyz.degraded++;
        else if (Date.now() - outageStart > 3_000) readyz.other.push(`${r.status} ${JSON.stringify(r.body).slice(0, 120)}`);
        await sleep(1_000);
      }
    })();
    const duringOutcome = merge(
      await runLoad(
        paced.map((it, i) => ({ ...it, notBefore: outageStart + i * spacing })),
        {
          base: () => base,
          concurrency: 4,
          deadlineMs: options.outageMs + 30_000,
          beforeSend: async (it) => {
            const wait = (it as LoadItem & { notBefore: number }).notBefore - Date.now();
            if (wait > 0) await sleep(wait);
          },
        },
      ),
      'during the outage',
    );
    const nonOk = [...duringOutcome.statusCounts].filter(([s]) => s !== 200 && s !== 201);
    if (nonOk.length > 0) failures.push(`during the outage intake answered ${nonOk.map(([s, n]) => `${n}× ${s}`).join(', ')} (expected only 2xx)`);
    const rest = options.outageMs - (Date.now() - outageStart);
    if (rest > 0) await sleep(rest);
    await probe;
    const outageS = (Date.now() - outageStart) / 1000;
    if (readyz.degraded === 0) failures.push('/readyz never reported degraded during the outage');
    if (readyz.other.length > 0) failures.push(`/readyz during the outage: ${readyz.other.slice(0, 2).join(' | ')}`);
    await redis.start();

    merge(await runLoad(after, { base: () => base, concurrency: 8, deadlineMs: 60_000 }), 'after the outage');
    const backlog = await waitForOutboxDrained(env.db, 60_000);
    if (backlog > 0) {
      // Say why: the relay records its last Redis error on each pending row.
      const errors = await env.db.selectFrom('outbox').select('last_error').distinct().where('relayed_at', 'is', null).limit(3).execute();
      failures.push(`${backlog} outbox row(s) not relayed after Redis returned (last errors: ${errors.map((e) => e.last_error ?? 'none').join(' | ')})`);
    }
    const a = await audit(env.db, acked, { redisUrl: redis.url, prefix: env.prefix });
    if (a.outboxMissing > 0) failures.push(`${a.outboxMissing} stored parcel(s) without exactly one consolidate outbox row`);
    if (a.notInQueue > 0) failures.push(`${a.notInQueue} accepted parcel(s) never reached the consolidate queue`);
    const ready = await request(base, 'GET', '/readyz');
    if (ready.body?.status !== 'ok') failures.push(`/readyz after the outage: ${JSON.stringify(ready.body).slice(0, 200)}`);
    readyz = { degraded: readyz.degraded, other: [] };
    return {
      scenario: '3 Redis outage',
      database: options.dialect,
      load: `${options.parcels} parcels (${during.reduce((s, i) => s + i.waybills.length, 0)} during the outage)`,
      faults: `Redis down ${outageS.toFixed(0)} s; readyz degraded ×${readyz.degraded}`,
      badInputs: 0,
      acknowledged: a.acknowledged,
      found: a.found,
      lost: a.lost + a.notInQueue,
      duplicated: a.duplicated,
      failures,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await api?.kill('SIGKILL');
    await redis.dispose();
    await env.dispose();
  }
}
