/**
 * Solomon text format (the 25/50/100-customer Solomon files and Gehring & Homberger's extended
 * sets): a `VEHICLE` block (NUMBER, CAPACITY), then a `CUSTOMER` table of
 * id, x, y, demand, ready time, due date, service time. Customer 0 is the depot.
 */
import { contentLines, InstanceFormatError, numbersOf } from './errors.ts';
import type { BenchmarkInstance, BenchmarkNode } from './types.ts';

export function looksLikeSolomon(text: string): boolean {
  return /^\s*VEHICLE\s*$/m.test(text) && /^\s*CUSTOMER\s*$/m.test(text);
}

export function readSolomon(text: string, fallbackName: string): BenchmarkInstance {
  const lines = contentLines(text);
  const name = lines[0] && !/^VEHICLE$/.test(lines[0]) ? lines[0] : fallbackName;
  const vehicleAt = lines.indexOf('VEHICLE');
  const customerAt = lines.indexOf('CUSTOMER');
  if (vehicleAt < 0 || customerAt < vehicleAt) throw new InstanceFormatError(`${name}: expected a VEHICLE block before CUSTOMER`);
  // VEHICLE / "NUMBER CAPACITY" / the two numbers.
  const fleet = lines.slice(vehicleAt + 1, customerAt).find((l) => /^\d/.test(l));
  if (!fleet) throw new InstanceFormatError(`${name}: VEHICLE block has no "number capacity" row`);
  const [fleetSize, capacity] = numbersOf(fleet, `${name} VEHICLE`);
  if (!(Number.isInteger(fleetSize) && fleetSize! > 0 && capacity! > 0)) throw new InstanceFormatError(`${name}: bad VEHICLE row "${fleet}"`);

  const nodes: BenchmarkNode[] = [];
  for (const line of lines.slice(customerAt + 1)) {
    if (!/^-?\d/.test(line)) continue; // column headings
    const v = numbersOf(line, `${name} CUSTOMER`);
    if (v.length !== 7) throw new InstanceFormatError(`${name}: expected 7 columns in "${line}"`);
    const [id, x, y, demand, ready, due, service] = v as [number, number, number, number, number, number, number];
    nodes.push({ id, x, y, demand, ready, due, service, pickupSibling: 0, deliverySibling: 0 });
  }
  if (nodes.length < 2) throw new InstanceFormatError(`${name}: no customers`);
  if (nodes[0]!.id !== 0) throw new InstanceFormatError(`${name}: the first customer row must be the depot, id 0`);
  return {
    name,
    format: 'solomon',
    convention: 'exact',
    objective: 'vehicles-then-distance',
    depotId: 0,
    nodes,
    capacity: capacity!,
    fleetSize: fleetSize!,
    speed: 1,
    hasTimeWindows: true,
    paired: false,
  };
}
