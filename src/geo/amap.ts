/**
 * Driving distances from Amap (高德) for networks in China: the Web service 距离测量 API,
 * `GET /v3/distance?origins=…&destination=…&type=1&key=…` (https://lbs.amap.com/api/webservice/guide/api/direction#distance).
 *
 * - Coordinates: Amap works in GCJ-02; gongpei stores WGS84, so every position is shifted with
 *   src/network/gcj02.ts and sent as `lon,lat` with at most 6 decimals, as the API asks.
 * - Batching: one request carries up to 100 origins (`|`-separated) and one destination, so an
 *   n × n matrix costs n × ⌈(n−1)/100⌉ requests (Qin County's 235 locations: 705).
 * - Cache: each road is asked for once per position pair (src/geo/matrix-cache.ts); after a station
 *   moves only its ≈ 2n roads are asked for again.
 * - Rate limits: Amap counts queries per second per key (the console's 配额管理; 3/s is a
 *   personal key's usual share) and per day (距离测量: 5,000 personal, 300,000 enterprise). Requests
 *   go through a Bottleneck limiter at AMAP_QPS; an answer that says the rate was exceeded
 *   (10004, 10019–10021) is retried after a pause; a used-up day (10003, 10044) stops with the
 *   reason. A refused key (10001 and the other key errors) stops at once with one line naming
 *   AMAP_KEY and Amap's own `info`.
 * - Answers: `results[k].origin_id` is the 1-based origin in the request; `distance` (m) and
 *   `duration` (s) come as strings. A pair without a numeric distance has no road: UNREACHABLE.
 */
import Bottleneck from 'bottleneck';
import { wgs84ToGcj02 } from '../network/gcj02.ts';
import { PairCache, pointKey } from './matrix-cache.ts';
import { UNREACHABLE, type Coordinate, type RoadMatrix, type RoadMatrixSource } from './matrix.ts';

/** Most origins per request (the API's documented limit for driving). */
export const AMAP_MAX_ORIGINS = 100;

export interface AmapOptions {
  readonly key: string;
  /** https://restapi.amap.com, or a stand-in in tests. */
  readonly baseUrl?: string;
  /** Requests per second this process may send with the key. */
  readonly qps?: number;
  readonly maxOrigins?: number;
  readonly timeoutMs?: number;
  /** Retries of one request after a rate-exceeded answer, pausing 1 s, 2 s, 4 s … between them. */
  readonly rateRetries?: number;
  readonly retryBaseMs?: number;
  readonly cache?: PairCache;
  readonly fetch?: typeof fetch;
}

export class AmapError extends Error {
  readonly userFacing = true;
  constructor(message: string, readonly infocode?: string) {
    super(message);
    this.name = 'AmapError';
  }
}

interface AmapDistanceResponse {
  status?: string;
  info?: string;
  infocode?: string;
  results?: { origin_id?: string; dest_id?: string; distance?: string; duration?: string }[];
}

/** Infocodes that mean the key itself is refused (wrong, deleted, bound elsewhere, not allowed). */
const KEY_REFUSED = new Set(['10001', '10002', '10005', '10006', '10007', '10008', '10009', '10010', '10011', '10012', '10013']);
/** Infocodes that mean the per-second / per-minute rate was exceeded: wait and retry. */
const RATE_EXCEEDED = new Set(['10004', '10014', '10015', '10019', '10020', '10021', '10029']);
/** Infocodes that mean the day's quota is used up: nothing to do until tomorrow. */
const DAY_USED_UP = new Set(['10003', '10044', '10045']);

export interface AmapStats {
  requests: number;
  retries: number;
}

export function amapSource(options: AmapOptions): RoadMatrixSource & { readonly cache: PairCache; readonly stats: AmapStats } {
  if (!options.key) throw new AmapError('MATRIX_PROVIDER=amap needs AMAP_KEY (a Web 服务 key from https://console.amap.com)');
  const qps = options.qps ?? 3;
  const limiter = new Bottleneck({ minTime: Math.ceil(1000 / qps), maxConcurrent: Math.max(1, Math.floor(qps)) });
  const cache = options.cache ?? new PairCache();
  const stats: AmapStats = { requests: 0, retries: 0 };
  const source = (points: readonly Coordinate[]) => amapMatrix(points, options, limiter, cache, stats);
  return Object.assign(source, { cache, stats });
}

async function amapMatrix(points: readonly Coordinate[], options: AmapOptions, limiter: Bottleneck, cache: PairCache, stats: AmapStats): Promise<RoadMatrix> {
  const n = points.length;
  const keys = points.map(pointKey);
  const gcj = points.map((p) => {
    const g = wgs84ToGcj02(p);
    return `${g.lon.toFixed(6)},${g.lat.toFixed(6)}`;
  });
  const distance = new Int32Array(n * n);
  const duration = new Int32Array(n * n);
  // Roads still to ask for, by destination: a request has one destination and many origins.
  const missing = new Map<number, number[]>();
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      if (i === j || keys[i] === keys[j]) continue;
      const hit = cache.get(keys[i]!, keys[j]!);
      if (hit) {
        distance[i * n + j] = hit.distance;
        duration[i * n + j] = hit.duration;
        continue;
      }
      let list = missing.get(j);
      if (!list) missing.set(j, (list = []));
      // The same position twice in one list is asked for once.
      if (!list.some((k) => keys[k] === keys[i])) list.push(i);
    }
  }
  const maxOrigins = Math.min(AMAP_MAX_ORIGINS, Math.max(1, options.maxOrigins ?? AMAP_MAX_ORIGINS));
  const requests: Promise<void>[] = [];
  // After one refusal (a bad key, a used-up day) the waiting requests are not sent at all.
  let refusal: Error | undefined;
  const ask = async (origins: readonly string[], destination: string) => {
    if (refusal) throw refusal;
    try {
      return await distanceRequest(options, origins, destination, stats);
    } catch (err) {
      refusal ??= err as Error;
      throw err;
    }
  };
  for (const [j, origins] of missing) {
    for (let o = 0; o < origins.length; o += maxOrigins) {
      const batch = origins.slice(o, o + maxOrigins);
      requests.push(
        limiter.schedule(() => ask(batch.map((i) => gcj[i]!), gcj[j]!)).then((answers) => {
          batch.forEach((i, k) => cache.set(keys[i]!, keys[j]!, answers[k]!));
        }),
      );
    }
  }
  const settled = await Promise.allSettled(requests);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  // One clear reason is enough: the first refusal.
  if (failed) throw refusal ?? (failed.reason as Error);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j || keys[i] === keys[j]) continue;
      const pair = cache.get(keys[i]!, keys[j]!);
      if (!pair) throw new AmapError(`Amap answered no distance from point ${i} to point ${j}`);
      distance[i * n + j] = pair.distance;
      duration[i * n + j] = pair.duration;
    }
  }
  return { size: n, distance, duration };
}

/** One request: distances and durations from each origin to the destination, in origin order. */
async function distanceRequest(options: AmapOptions, origins: readonly string[], destination: string, stats: AmapStats): Promise<{ distance: number; duration: number }[]> {
  const base = (options.baseUrl ?? 'https://restapi.amap.com').replace(/\/+$/, '');
  const url = `${base}/v3/distance?${new URLSearchParams({ key: options.key, origins: origins.join('|'), destination, type: '1', output: 'json' }).toString()}`;
  const doFetch = options.fetch ?? fetch;
  const retries = options.rateRetries ?? 3;
  for (let attempt = 0; ; attempt++) {
    stats.requests++;
    let res: Response;
    try {
      res = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    } catch (err) {
      throw new AmapError(`Amap unreachable at ${new URL(base).origin}: ${(err as Error).message}`);
    }
    const text = await res.text();
    let body: AmapDistanceResponse;
    try {
      body = JSON.parse(text) as AmapDistanceResponse;
    } catch {
      throw new AmapError(`Amap answered HTTP ${res.status} with a body that is not JSON`);
    }
    if (body.status === '1' && Array.isArray(body.results)) return readResults(body.results, origins.length);
    const code = body.infocode ?? '';
    const info = body.info ?? `HTTP ${res.status}`;
    if (RATE_EXCEEDED.has(code) && attempt < retries) {
      stats.retries++;
      await new Promise((resolve) => setTimeout(resolve, (options.retryBaseMs ?? 1000) * 2 ** attempt));
      continue;
    }
    if (KEY_REFUSED.has(code)) throw new AmapError(`Amap refused AMAP_KEY: ${info} (infocode ${code}); check the key is a Web 服务 key and its IP allow-list at https://console.amap.com`, code);
    if (DAY_USED_UP.has(code)) throw new AmapError(`Amap's daily quota for this key is used up: ${info} (infocode ${code}); it resets at 00:00 China time`, code);
    if (RATE_EXCEEDED.has(code)) throw new AmapError(`Amap kept refusing for rate after ${retries} retries: ${info} (infocode ${code}); lower AMAP_QPS`, code);
    throw new AmapError(`Amap distance request failed: ${info}${code ? ` (infocode ${code})` : ''}`, code || undefined);
  }
}

function readResults(results: NonNullable<AmapDistanceResponse['results']>, count: number): { distance: number; duration: number }[] {
  const out = Array.from({ length: count }, () => ({ distance: UNREACHABLE, duration: UNREACHABLE }));
  results.forEach((r, k) => {
    // origin_id is 1-based; fall back to the answer's order when it is absent.
    const index = r.origin_id !== undefined ? Number(r.origin_id) - 1 : k;
    if (!(index >= 0 && index < count)) return;
    const distance = Number(r.distance);
    const duration = Number(r.duration);
    if (r.distance === undefined || r.distance === '' || !Number.isFinite(distance)) return;
    out[index] = { distance: Math.round(distance), duration: Number.isFinite(duration) ? Math.round(duration) : UNREACHABLE };
  });
  return out;
}
