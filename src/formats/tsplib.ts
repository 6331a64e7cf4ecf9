/**
 * TSPLIB-family readers: VRPLIB CVRP `.vrp` (Uchoa et al. X set) and LKH-3 CVRPTW `.vrptw`
 * (Solomon instances as distributed with LKH-3). Both are "KEY : value" headers followed by
 * numbered sections; they differ in the edge weight type and the time-window sections.
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
]);

export function looksLikeTsplib(text: string): boolean {
  return /^\s*NODE_COORD_SECTION\s*$/m.test(text) && /^\s*DIMENSION\s*:/m.test(text);
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
  const coords = byId('NODE_COORD_SECTION', 3, true);
  const demands = byId('DEMAND_SECTION', 2, true);
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
  };
}
