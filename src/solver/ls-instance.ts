/** Builds the local search's flat instance (clients renumbered 0..n-1) for one vehicle type. */
import type { Data } from './data.ts';
import type { LsInstance } from './search/instance.ts';
import { BIG_TIME } from './search/instance.ts';

export function buildLsInstance(data: Data, clients: Int32Array, vehicle: number, granular: number): LsInstance {
  const n = clients.length;
  const M = n + 2;
  const D = data.D;
  const L = data.L;
  const dm = data.dist[data.vProfile[vehicle]];
  const tm = data.dur[data.vProfile[vehicle]];
  const locOf = (i: number): number => (i < n ? data.loc[clients[i]] : i === n ? data.vStart[vehicle] : data.vEnd[vehicle]);
  const dist = new Int32Array(M * M);
  const time = new Int32Array(M * M);
  let symmetric = true;
  for (let i = 0; i < M; i++) {
    const li = locOf(i);
    for (let j = 0; j < M; j++) {
      const lj = locOf(j);
      dist[i * M + j] = dm[li * L + lj];
      time[i * M + j] = tm[li * L + lj];
    }
  }
  for (let i = 0; i < M && symmetric; i++) {
    for (let j = i + 1; j < M; j++) {
      if (dist[i * M + j] !== dist[j * M + i] || time[i * M + j] !== time[j * M + i]) {
        symmetric = false;
        break;
      }
    }
  }
  const service = new Float64Array(n);
  const early = new Float64Array(n);
  const late = new Float64Array(n);
  const del = new Float64Array(n * D);
  const pick = new Float64Array(n * D);
  let hasTw = false;
  for (let i = 0; i < n; i++) {
    const x = clients[i];
    service[i] = data.service[x];
    early[i] = data.early[x];
    late[i] = Math.min(BIG_TIME, data.late[x]);
    if (data.twOff[x + 1] > data.twOff[x]) hasTw = true;
    for (let q = 0; q < D; q++) {
      del[i * D + q] = data.del[x * D + q];
      pick[i * D + q] = data.pick[x * D + q];
    }
  }
  const cap = data.vCap.slice(vehicle * D, vehicle * D + D);
  // Granular neighbours: proximity = distance + penalties for waiting and for window clashes
  // (the correlation measure PyVRP uses), so neighbours are clients that can follow each other.
  const k = Math.min(granular, n - 1);
  const neighbours = new Int32Array(n * Math.max(k, 0)).fill(-1);
  const keys = new Float64Array(n);
  const idx = new Int32Array(n);
  for (let i = 0; i < n && k > 0; i++) {
    for (let j = 0; j < n; j++) {
      idx[j] = j;
      if (j === i) {
        keys[j] = Infinity;
        continue;
      }
      let p = dist[i * M + j];
      if (hasTw) {
        const tij = time[i * M + j];
        const wait = Math.max(early[j] - tij - service[i] - late[i], 0);
        const clash = Math.max(early[i] + service[i] + tij - late[j], 0);
        p += 0.2 * wait + clash;
      }
      keys[j] = p;
    }
    const sorted = Array.from(idx).sort((a, b) => keys[a] - keys[b] || a - b);
    for (let q = 0; q < k; q++) neighbours[i * k + q] = sorted[q];
  }
  const granularLists = hasTw ? { neighbours, k: Math.max(k, 0) } : symmetricNeighbours(neighbours, n, Math.max(k, 0), dist, M);
  // A huge fixed cost (a vehicles-first objective) would drown the penalties the search balances
  // distance against; the search sees it capped at 20 longest round trips, while individuals are
  // still ranked on the true cost (see genetic.ts). That keeps fleet reduction worth
  // a lot of time warp while the penalties can still catch up.
  let roundTrip = 0;
  for (let i = 0; i < n; i++) roundTrip = Math.max(roundTrip, dist[n * M + i] + dist[i * M + n + 1]);
  const fixed = Math.min(data.vFixed[vehicle], 20 * roundTrip * data.vCpd[vehicle]);
  const vEarly = data.vEarly[vehicle];
  const vLate = Math.min(BIG_TIME, data.vLate[vehicle]);
  return {
    n, D, dist, time, service, early, late, del, pick, cap,
    shiftEarly: vEarly, shiftLate: vLate,
    maxDuration: data.vMaxDuration[vehicle], maxDistance: data.vMaxDistance[vehicle], maxStops: data.vMaxStops[vehicle],
    fixed, trueFixed: data.vFixed[vehicle], cpd: data.vCpd[vehicle], cdu: data.vCdu[vehicle], symmetric,
    neighbours: granularLists.neighbours, k: granularLists.k, nearest: Math.max(k, 0),
  };
}

/**
 * HGS-CVRP's correlated vertices: j is a neighbour of i when either is among the other's k
 * nearest, so a client close to a hub is tried from both ends. Rows keep i's own k nearest first
 * (in order; Split's seeding tours and the route-pair phase read only those), then the clients
 * that have i among their nearest, by distance; rows are padded with -1 to the longest.
 */
function symmetricNeighbours(nearest: Int32Array, n: number, k: number, dist: Int32Array, M: number): { neighbours: Int32Array; k: number } {
  if (k === 0) return { neighbours: nearest, k };
  const extra: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < k; q++) {
      const j = nearest[i * k + q];
      let mutual = false;
      for (let t = 0; t < k && !mutual; t++) mutual = nearest[j * k + t] === i;
      if (!mutual) extra[j].push(i);
    }
  }
  let K = k;
  for (const e of extra) K = Math.max(K, k + e.length);
  const out = new Int32Array(n * K).fill(-1);
  for (let i = 0; i < n; i++) {
    out.set(nearest.subarray(i * k, i * k + k), i * K);
    const e = extra[i].sort((a, b) => dist[i * M + a] - dist[i * M + b] || a - b);
    for (let q = 0; q < e.length; q++) out[i * K + k + q] = e[q];
  }
  return { neighbours: out, k: K };
}
