/**
 * Li & Lim PDPTW text format: a first line `vehicles capacity speed`, then one row per node:
 * id, x, y, demand, ready, due, service, pickup sibling, delivery sibling. Node 0 is the depot.
 * A pickup has a positive demand and names its delivery (pickup sibling 0); its delivery has the
 * negated demand and names its pickup (delivery sibling 0).
 */
import { contentLines, InstanceFormatError, numbersOf } from './errors.ts';
import type { BenchmarkInstance, BenchmarkNode } from './types.ts';

export function looksLikeLiLim(text: string): boolean {
  const lines = contentLines(text).slice(0, 3);
  if (lines.length < 3) return false;
  const width = (l: string) => l.split(/\s+/).filter((t) => Number.isFinite(Number(t))).length;
  return width(lines[0]!) === 3 && width(lines[1]!) === 9 && width(lines[2]!) === 9;
}

export function readLiLim(text: string, fallbackName: string): BenchmarkInstance {
  const name = fallbackName;
  const lines = contentLines(text);
  // The third header field ("speed") is not used: it is 1 in most files and 0 in some (lc104),
  // and every published result takes travel time = distance.
  const [fleetSize, capacity] = numbersOf(lines[0] ?? '', `${name} header`) as [number, number, number];
  if (!(Number.isInteger(fleetSize) && fleetSize > 0 && capacity > 0)) throw new InstanceFormatError(`${name}: bad header "${lines[0]}"`);
  const nodes: BenchmarkNode[] = lines.slice(1).map((line) => {
    const v = numbersOf(line, name);
    if (v.length !== 9) throw new InstanceFormatError(`${name}: expected 9 columns in "${line}"`);
    const [id, x, y, demand, ready, due, service, pickupSibling, deliverySibling] = v as [number, number, number, number, number, number, number, number, number];
    return { id, x, y, demand, ready, due, service, pickupSibling, deliverySibling };
  });
  if (nodes[0]?.id !== 0) throw new InstanceFormatError(`${name}: the first node must be the depot, id 0`);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of nodes.slice(1)) {
    const sibling = byId.get(n.deliverySibling || n.pickupSibling);
    const paired = n.deliverySibling
      ? n.pickupSibling === 0 && sibling?.pickupSibling === n.id && sibling.demand === -n.demand
      : n.pickupSibling !== 0 && sibling?.deliverySibling === n.id;
    if (!paired) throw new InstanceFormatError(`${name}: node ${n.id} is not part of a consistent pickup/delivery pair`);
  }
  return {
    name,
    format: 'li-lim',
    convention: 'exact',
    objective: 'vehicles-then-distance',
    depotId: 0,
    nodes,
    capacity,
    fleetSize,
    speed: 1,
    hasTimeWindows: true,
    paired: true,
  };
}
