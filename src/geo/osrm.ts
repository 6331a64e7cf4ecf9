/**
 * Road matrices from an OSRM-compatible `/table/v1/{profile}` service.
 *
 * OSRM refuses tables larger than its `--max-table-size` (default 100 locations), so an n × n
 * matrix is requested in blocks: each request carries one block of sources and one block of
 * destinations (at most `maxTableSize` coordinates in total) and the answers are stitched
 * together. Distances and durations are rounded to whole metres and seconds; `null` (no route)
 * becomes UNREACHABLE so the solver treats the pair as infeasible rather than free.
 */
import { UNREACHABLE, type Coordinate, type RoadMatrix, type RoadMatrixSource } from './matrix.ts';

export interface OsrmOptions {
  readonly baseUrl: string;
  /** OSRM routing profile in the URL path (`driving`). */
  readonly profile?: string;
  /** The server's --max-table-size (coordinates per request). */
  readonly maxTableSize?: number;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

interface OsrmTableResponse {
  code: string;
  message?: string;
  distances?: (number | null)[][];
  durations?: (number | null)[][];
}

export class OsrmError extends Error {
  readonly userFacing = true;
  constructor(message: string) {
    super(message);
    this.name = 'OsrmError';
  }
}

export function osrmSource(options: OsrmOptions): RoadMatrixSource {
  return (points) => osrmTable(points, options);
}

export async function osrmTable(points: readonly Coordinate[], options: OsrmOptions): Promise<RoadMatrix> {
  const n = points.length;
  const maxTable = Math.max(2, options.maxTableSize ?? 100);
  const block = Math.max(1, Math.floor(maxTable / 2));
  const base = options.baseUrl.replace(/\/+$/, '');
  const profile = options.profile ?? 'driving';
  const doFetch = options.fetch ?? fetch;
  const distance = new Int32Array(n * n);
  const duration = new Int32Array(n * n);

  for (let s0 = 0; s0 < n; s0 += block) {
    const sources = range(s0, Math.min(n, s0 + block));
    for (let d0 = 0; d0 < n; d0 += block) {
      const destinations = range(d0, Math.min(n, d0 + block));
      // The request's coordinates: sources first, then destinations not already among them.
      const coords = [...sources, ...destinations.filter((d) => d < s0 || d >= s0 + sources.length)];
      const position = new Map(coords.map((c, k) => [c, k]));
      const path = coords.map((c) => `${points[c]!.lon.toFixed(6)},${points[c]!.lat.toFixed(6)}`).join(';');
      const url =
        `${base}/table/v1/${profile}/${path}?annotations=distance,duration` +
        `&sources=${sources.map((c) => position.get(c)).join(';')}` +
        `&destinations=${destinations.map((c) => position.get(c)).join(';')}`;
      const body = await getJson(doFetch, url, options.timeoutMs ?? 30_000);
      if (body.code !== 'Ok' || !body.distances || !body.durations) {
        throw new OsrmError(`OSRM table failed: ${body.code}${body.message ? ` (${body.message})` : ''}`);
      }
      for (let i = 0; i < sources.length; i++) {
        for (let j = 0; j < destinations.length; j++) {
          const k = sources[i]! * n + destinations[j]!;
          const dist = body.distances[i]?.[j];
          const dur = body.durations[i]?.[j];
          distance[k] = dist == null ? UNREACHABLE : Math.round(dist);
          duration[k] = dur == null ? UNREACHABLE : Math.round(dur);
        }
      }
    }
  }
  return { size: n, distance, duration };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

async function getJson(doFetch: typeof fetch, url: string, timeoutMs: number): Promise<OsrmTableResponse> {
  let res: Response;
  try {
    res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new OsrmError(`OSRM unreachable at ${new URL(url).origin}: ${(err as Error).message}`);
  }
  const text = await res.text();
  let body: OsrmTableResponse;
  try {
    body = JSON.parse(text) as OsrmTableResponse;
  } catch {
    throw new OsrmError(`OSRM answered ${res.status} with a body that is not JSON`);
  }
  if (!res.ok && body.code === 'Ok') throw new OsrmError(`OSRM answered HTTP ${res.status}`);
  return body;
}
