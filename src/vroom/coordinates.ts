/**
 * A VROOM problem with coordinates and no matrices: its matrix from the configured road-matrix
 * service, the way VROOM asks its routing engine for a `table`. Only a source that gives travel
 * times (OSRM, `OSRM_URL`) will do: gongpei's haversine fallback has distances but no speed a
 * VROOM user asked for, so without OSRM such a problem stays a 400 naming `matrices`. One OSRM
 * server is one profile: vehicles must then use the default profile (`car`).
 */
import { AppError } from '../errors.ts';
import type { ErrorDetail } from '../http/http-errors.ts';
import type { Coordinate, RoadMatrix } from '../geo/matrix.ts';
import type { VroomInput } from './vroom.schemas.ts';

/** Road distances (m) and durations (s) for a list of points. */
export type TimedMatrixSource = (points: readonly Coordinate[]) => Promise<RoadMatrix>;

/** The input with `location_index` everywhere and `matrices.car` from the source; unchanged if it has matrices. */
export async function withComputedMatrices(input: VroomInput, source: TimedMatrixSource | undefined): Promise<VroomInput> {
  if (input.matrices && Object.keys(input.matrices).length > 0) return input;
  if (!source) return input; // toVroomModel names `matrices`
  const issues: ErrorDetail[] = [];
  const points: Coordinate[] = [];
  const indexOf = new Map<string, number>();
  const at = (coords: readonly number[] | undefined, path: string): number | undefined => {
    if (!coords) {
      issues.push({ path, message: 'required: without matrices every task and vehicle end is located by coordinates' });
      return undefined;
    }
    const key = `${coords[0]},${coords[1]}`;
    let k = indexOf.get(key);
    if (k === undefined) {
      k = points.length;
      indexOf.set(key, k);
      points.push({ lon: coords[0]!, lat: coords[1]! });
    }
    return k;
  };
  const task = <T extends { location?: number[] | undefined; location_index?: number | undefined }>(t: T, path: string): T => {
    if (t.location_index !== undefined) issues.push({ path: `${path}.location_index`, message: 'refers to a matrix, but none is given: give matrices, or coordinates only' });
    const k = at(t.location, `${path}.location`);
    return k === undefined ? t : { ...t, location_index: k };
  };
  const jobs = input.jobs?.map((j, i) => task(j, `jobs.${i}`));
  const shipments = input.shipments?.map((s, i) => ({ ...s, pickup: task(s.pickup, `shipments.${i}.pickup`), delivery: task(s.delivery, `shipments.${i}.delivery`) }));
  const vehicles = input.vehicles.map((v, i) => {
    if ((v.profile ?? 'car') !== 'car') issues.push({ path: `vehicles.${i}.profile`, message: 'with coordinates only the default profile (car, the OSRM_URL server) is available; give matrices for other profiles' });
    if (v.start_index !== undefined || v.end_index !== undefined) issues.push({ path: `vehicles.${i}`, message: 'start_index / end_index refer to a matrix, but none is given' });
    const s = v.start ? at(v.start, `vehicles.${i}.start`) : undefined;
    const e = v.end ? at(v.end, `vehicles.${i}.end`) : undefined;
    return { ...v, ...(s === undefined ? {} : { start_index: s }), ...(e === undefined ? {} : { end_index: e }) };
  });
  if (issues.length > 0) {
    throw new AppError('invalid_data', `Invalid problem: ${issues.slice(0, 3).map((d) => `${d.path}: ${d.message}`).join('; ')}`, issues.slice(0, 50));
  }
  let road: RoadMatrix;
  try {
    road = await source(points);
  } catch (err) {
    // The service's own message names internal hosts: it goes to the log (cause), not the client.
    throw new AppError('unavailable', 'the road-matrix service (OSRM) failed for this problem’s coordinates; retry later, or give matrices', undefined, { cause: err });
  }
  if (!road.duration) throw new Error('the road-matrix source gave no durations');
  const n = road.size;
  const rows = (m: Int32Array): number[][] => Array.from({ length: n }, (_, i) => Array.from(m.subarray(i * n, (i + 1) * n)));
  return {
    ...input,
    ...(jobs ? { jobs } : {}),
    ...(shipments ? { shipments } : {}),
    vehicles,
    matrices: { car: { durations: rows(road.duration), distances: rows(road.distance) } },
  };
}
