/**
 * Readers for the best-known-solution files shipped with the benchmark sets, returning routes
 * as lists of node ids exactly as numbered in the instance file (depot excluded):
 * - CVRPLIB `.sol` ("Route #k: …", customers numbered 1..n-1, i.e. node id − 1, then "Cost c");
 * - LKH-3 `.tour` (TOUR_SECTION; the depot and ids above DIMENSION are depot copies that
 *   separate routes);
 * - SINTEF-style text ("Route k : …", node ids as in the instance; Gehring & Homberger, Li & Lim).
 */
import { contentLines, InstanceFormatError, numbersOf } from './errors.ts';
import type { BenchmarkInstance } from './types.ts';

export type FileRoutes = number[][];

export function parseSolutionText(text: string, instance: BenchmarkInstance): FileRoutes {
  const lines = contentLines(text);
  if (lines.includes('TOUR_SECTION')) return parseTour(lines, instance);
  const routes: FileRoutes = [];
  for (const line of lines) {
    const cvrplib = /^Route\s*#\s*\d+\s*:\s*(.*)$/i.exec(line);
    if (cvrplib) {
      // CVRPLIB numbers customers from 1 with the depot removed: node id = index + depot id.
      routes.push(numbersOf(cvrplib[1]!, 'route').map((k) => k + instance.depotId));
      continue;
    }
    const sintef = /^Route\s+\d+\s*:\s*(.*)$/i.exec(line);
    if (sintef) {
      const ids = sintef[1]!.trim() === '' ? [] : numbersOf(sintef[1]!, 'route');
      routes.push(ids.filter((id) => id !== instance.depotId));
    }
  }
  if (routes.length === 0) throw new InstanceFormatError('no routes found in the solution file');
  return routes.filter((r) => r.length > 0);
}

function parseTour(lines: string[], instance: BenchmarkInstance): FileRoutes {
  const dimension = instance.nodes.length;
  const start = lines.indexOf('TOUR_SECTION');
  const routes: FileRoutes = [];
  let current: number[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line === 'EOF') break;
    for (const id of numbersOf(line, 'tour')) {
      if (id === -1) break;
      if (id === instance.depotId || id > dimension) {
        if (current.length > 0) routes.push(current);
        current = [];
      } else {
        current.push(id);
      }
    }
  }
  if (current.length > 0) routes.push(current);
  return routes;
}

/** The "Cost N" line of a CVRPLIB `.sol`, if present. */
export function statedCost(text: string): number | undefined {
  const m = /^\s*Cost\s+([-\d.eE+]+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}
