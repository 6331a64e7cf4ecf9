/**
 * TSPLIB-family readers: VRPLIB CVRP `.vrp` (Uchoa et al. X set) and LKH-3 CVRPTW `.vrptw`
 * (Solomon instances as distributed with LKH-3). Both are "KEY : value" headers followed by
 * numbered sections; they differ in the edge weight type and the time-window sections.
 *
 * `EDGE_WEIGHT_TYPE : EXPLICIT` (older CVRPLIB sets such as E-n13-k4, and any problem whose
 * distances come from a road network) gives the matrix itself in EDGE_WEIGHT_SECTION, in one of
 * TSPLIB's layouts (EDGE_WEIGHT_FORMAT): FULL_MATRIX, the triangles LOWER_ROW / UPPER_ROW /
 * LOWER_DIAG_ROW / UPPER_DIAG_ROW, or their column-wise twins (a symmetric matrix's LOWER_COL
 * is its UPPER_ROW, and so on). Numbers may wrap across lines freely; nodes are then 1..DIMENSION
 * and coordinates, if any, are for display only.
 */
import { contentLines, InstanceFormatError, numbersOf } from './errors.ts';
import type { BenchmarkInstance, BenchmarkNode, DistanceConvention } from './types.ts';

const SECTIONS = new Set([
  'NODE_COORD_SECTION',
  'DEMAND_SECTION',
  'DEPOT_SECTION',
  'TIME_WINDOW_SECTION',
  'SERVICE_TIME_SECTION',
  'PICKUP_AND_DELIVERY_SECTION',
  'EDGE_WEIGHT_SECTION',
  'DISPLAY_DATA_SECTION',
]);

export function looksLikeTsplib(text: string): boolean {
  return /^\s*(NODE_COORD_SECTION|EDGE_WEIGHT_SECTION)\s*$/m.test(text) && /^\s*DIMENSION\s*:/m.test(text);
}

/** A symmetric triangle layout read row by row: which (i, j) each number fills, in order. */
const TRIANGLES: Readonly<Record<string, { readonly lower: boolean; readonly diagonal: boolean }>> = {
  LOWER_ROW: { lower: true, diagonal: false },
  UPPER_COL: { lower: true, diagonal: false },
  UPPER_ROW: { lower: false, diagonal: false },
  LOWER_COL: { lower: false, diagonal: false },
  LOWER_DIAG_ROW: { lower: true, diagonal: true },
  UPPER_DIAG_COL: { lower: true, diagonal: true },
  UPPER_DIAG_ROW: { lower: false, diagonal: true },
  LOWER_DIAG_COL: { lower: false, diagonal: true },
};

/**
 * EDGE_WEIGHT_SECTION as a full row-major n×n matrix. Weights must be non-negative integers: the
 * solver works in the file's own units (scale 1), so a fractional weight has no exact model.
 */
export function explicitMatrix(name: string, format: string, rows: readonly string[], n: number): number[] {
  const values = rows.flatMap((l) => numbersOf(l, `${name} EDGE_WEIGHT_SECTION`));
  const bad = values.find((v) => !Number.isSafeInteger(v) || v < 0);
  if (bad !== undefined) throw new InstanceFormatError(`${name}: EDGE_WEIGHT_SECTION holds ${bad}; only non-negative integer weights are supported`);
  const m = new Array<number>(n * n).fill(0);
  let expected: number;
  if (format === 'FULL_MATRIX') {
    expected = n * n;
    if (values.length === expected) for (let k = 0; k < expected; k++) m[k] = values[k]!;
  } else {
    const t = TRIANGLES[format];
    if (!t) throw new InstanceFormatError(`${name}: unsupported EDGE_WEIGHT_FORMAT "${format}" (FULL_MATRIX, LOWER_ROW, UPPER_ROW, LOWER_DIAG_ROW, UPPER_DIAG_ROW and the *_COL twins are)`);
    expected = t.diagonal ? (n * (n + 1)) / 2 : (n * (n - 1)) / 2;
    if (values.length === expected) {
      let k = 0;
      for (let i = 0; i < n; i++) {
        const from = t.lower ? 0 : t.diagonal ? i : i + 1;
        const to = t.lower ? (t.diagonal ? i : i - 1) : n - 1;
        for (let j = from; j <= to; j++) {
          const v = values[k++]!;
          m[i * n + j] = v;
          m[j * n + i] = v;
        }
      }
    }
  }
  if (values.length !== expected) throw new InstanceFormatError(`${name}: EDGE_WEIGHT_SECTION has ${values.length} numbers; ${format} for DIMENSION ${n} needs ${expected}`);
  return m;
}

export function readTsplib(text: string, fallbackName: string): BenchmarkInstance {
  const header = new Map<string, string>();
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of contentLines(text)) {
    if (line === 'EOF') break;
    const key = line.split(/[\s:]/)[0]!;
    if (SECTIONS.has(key)) {
      current = [];
      sections.set(key, current);
      continue;
    }
    const m = /^([A-Z_]+)\s*:\s*(.*)$/.exec(line);
    if (m && !/^-?\d/.test(line)) {
      header.set(m[1]!, m[2]!.trim());
      current = undefined;
      continue;
    }
    if (!current) throw new InstanceFormatError(`unexpected line outside any section: "${line}"`);
    current.push(line);
  }

  const name = header.get('NAME') || fallbackName;
  const dimension = Number(header.get('DIMENSION'));
  if (!Number.isInteger(dimension) || dimension < 2) throw new InstanceFormatError(`${name}: missing or bad DIMENSION`);
  const capacity = Number(header.get('CAPACITY'));
  if (!Number.isFinite(capacity) || capacity <= 0) throw new InstanceFormatError(`${name}: missing or bad CAPACITY`);

  const edgeType = header.get('EDGE_WEIGHT_TYPE') ?? '';
  const scaleHeader = header.get('SCALE');
  let convention: DistanceConvention;
  if (edgeType === 'EUC_2D') convention = 'round';
  // LKH-3 FLOOR_2D with SCALE 10 = floor(10·d): distances truncated to tenths. Other scales
  // (plain TSPLIB FLOOR_2D is floor(d)) are not a convention of our sets.
  else if (edgeType === 'FLOOR_2D' && Number(scaleHeader) === 10) convention = 'trunc1';
  else if (edgeType === 'EXACT_2D') convention = 'exact';
  else if (edgeType === 'EXPLICIT') convention = 'explicit';
  else throw new InstanceFormatError(`${name}: unsupported EDGE_WEIGHT_TYPE "${edgeType}"${scaleHeader ? ` with SCALE ${scaleHeader}` : ''}`);

  const byId = (section: string, width: number, required: boolean): Map<number, number[]> => {
    const rows = sections.get(section);
    const out = new Map<number, number[]>();
    if (!rows) {
      if (required) throw new InstanceFormatError(`${name}: missing ${section}`);
      return out;
    }
    for (const row of rows) {
      const nums = numbersOf(row, `${name} ${section}`);
      if (nums.length < width) throw new InstanceFormatError(`${name} ${section}: expected ${width} columns in "${row}"`);
      out.set(nums[0]!, nums.slice(1));
    }
    return out;
  };
  const explicit = convention === 'explicit';
  const demands = byId('DEMAND_SECTION', 2, true);
  const coords = byId('NODE_COORD_SECTION', 3, !explicit);
  let weights: number[] | undefined;
  if (explicit) {
    const rows = sections.get('EDGE_WEIGHT_SECTION');
    if (!rows) throw new InstanceFormatError(`${name}: EDGE_WEIGHT_TYPE EXPLICIT but no EDGE_WEIGHT_SECTION`);
    weights = explicitMatrix(name, header.get('EDGE_WEIGHT_FORMAT') ?? 'FULL_MATRIX', rows, dimension);
    // The matrix is indexed by node number: the nodes are 1..DIMENSION, in that order.
    for (let id = 1; id <= dimension; id++) {
      if (!demands.has(id)) throw new InstanceFormatError(`${name}: EXPLICIT weights need nodes 1..${dimension}; node ${id} has no demand`);
      if (!coords.has(id)) coords.set(id, [0, 0]);
    }
    const extra = [...demands.keys()].find((id) => !Number.isInteger(id) || id < 1 || id > dimension);
    if (extra !== undefined) throw new InstanceFormatError(`${name}: node ${extra} is outside 1..${dimension}`);
    const ordered = [...coords].filter(([id]) => id >= 1 && id <= dimension).sort(([a], [b]) => a - b);
    coords.clear();
    for (const [id, xy] of ordered) coords.set(id, xy);
  }
  const windows = byId('TIME_WINDOW_SECTION', 3, false);
  const services = byId('SERVICE_TIME_SECTION', 2, false);
  if (sections.has('PICKUP_AND_DELIVERY_SECTION')) throw new InstanceFormatError(`${name}: PICKUP_AND_DELIVERY_SECTION is not supported; use the Li & Lim text format`);
  if (coords.size !== dimension) throw new InstanceFormatError(`${name}: DIMENSION ${dimension} but ${coords.size} coordinates`);

  const depots = (sections.get('DEPOT_SECTION') ?? ['1', '-1']).flatMap((l) => numbersOf(l, `${name} DEPOT_SECTION`)).filter((v) => v >= 0);
  if (depots.length !== 1) throw new InstanceFormatError(`${name}: exactly one depot is supported, found ${depots.length}`);
  const depotId = depots[0]!;
  const globalService = Number(header.get('SERVICE_TIME') ?? 0);
  const hasTimeWindows = windows.size > 0;

  const nodes: BenchmarkNode[] = [];
  for (const [id, [x, y]] of coords) {
    const demand = demands.get(id)?.[0];
    if (demand === undefined) throw new InstanceFormatError(`${name}: node ${id} has no demand`);
    const tw = windows.get(id);
    if (hasTimeWindows && !tw) throw new InstanceFormatError(`${name}: node ${id} has no time window`);
    nodes.push({
      id,
      x: x!,
      y: y!,
      demand,
      ready: tw ? tw[0]! : 0,
      due: tw ? tw[1]! : Number.POSITIVE_INFINITY,
      // The depot is not serviced; a global SERVICE_TIME applies to customers only.
      service: id === depotId ? 0 : (services.get(id)?.[0] ?? globalService),
      pickupSibling: 0,
      deliverySibling: 0,
    });
  }
  if (!nodes.some((n) => n.id === depotId)) throw new InstanceFormatError(`${name}: depot ${depotId} has no coordinates`);

  const vehicles = header.get('VEHICLES');
  const fleetSize = vehicles === undefined ? undefined : Number(vehicles);
  if (fleetSize !== undefined && !(Number.isInteger(fleetSize) && fleetSize > 0)) throw new InstanceFormatError(`${name}: bad VEHICLES "${vehicles}"`);
  const type = header.get('TYPE') ?? '';
  return {
    name,
    format: hasTimeWindows || type === 'CVRPTW' ? 'lkh-vrptw' : 'vrplib',
    convention,
    // Fleet-minimising literature values (Solomon "hierarchical") are computed with exact
    // distances; LKH-3's truncated runs and the X set minimise distance alone.
    objective: convention === 'exact' ? 'vehicles-then-distance' : 'distance',
    depotId,
    nodes,
    capacity,
    ...(fleetSize === undefined ? {} : { fleetSize }),
    speed: 1,
    hasTimeWindows,
    paired: false,
    ...(weights ? { weights } : {}),
  };
}
