/**
 * Benchmark instance readers. The format is detected from the content, never the extension:
 * - TSPLIB-like headers with NODE_COORD_SECTION → VRPLIB `.vrp` or LKH-3 `.vrptw`;
 * - `VEHICLE` and `CUSTOMER` blocks → Solomon / Gehring & Homberger text;
 * - a 3-number first line followed by 9-number rows → Li & Lim PDPTW text.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InstanceFormatError } from './errors.ts';
import { looksLikeLiLim, readLiLim } from './li-lim.ts';
import { looksLikeSolomon, readSolomon } from './solomon.ts';
import { toProblem, type ToProblemOptions } from './to-problem.ts';
import { looksLikeTsplib, readTsplib } from './tsplib.ts';
import type { BenchmarkInstance, LoadedInstance } from './types.ts';

export type * from './types.ts';
export { InstanceFormatError } from './errors.ts';
export { SCALE, scaledEdge, toProblem } from './to-problem.ts';

/** Instance name from a file name: `C102.100.10.vrptw` → `C102`, `c1_2_2.txt` → `c1_2_2`. */
export function instanceNameFromPath(path: string): string {
  return basename(path).replace(/\..*$/, '');
}

/** Parses an instance's text in whichever of the four benchmark formats it is written. */
export function parseInstance(text: string, fallbackName = 'instance'): BenchmarkInstance {
  if (looksLikeTsplib(text)) return readTsplib(text, fallbackName);
  if (looksLikeSolomon(text)) return readSolomon(text, fallbackName);
  if (looksLikeLiLim(text)) return readLiLim(text, fallbackName);
  throw new InstanceFormatError(`${fallbackName}: not a VRPLIB, LKH-3 CVRPTW, Solomon or Li & Lim instance`);
}

export async function readInstanceFile(path: string): Promise<BenchmarkInstance> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InstanceFormatError(`cannot read ${path}: ${(err as Error).message}`);
  }
  return parseInstance(text, instanceNameFromPath(path));
}

/** Reads an instance file and builds the solver problem for it. */
export async function loadInstance(path: string, options: ToProblemOptions = {}): Promise<LoadedInstance> {
  return toProblem(await readInstanceFile(path), options);
}
