import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../src/formats/index.ts';
import { parseSolutionText } from '../../../src/formats/solution-files.ts';
import { checkSolution } from '../../../src/formats/verify.ts';

// Depot at the origin; four customers on a line. Solomon text: id x y demand ready due service.
const solomon = (rows: string, fleet = 3, capacity = 30) =>
  `line4\nVEHICLE\nNUMBER CAPACITY\n${fleet} ${capacity}\nCUSTOMER\nCUST NO. XCOORD. YCOORD. DEMAND READY DUE SERVICE\n0 0 0 0 0 100 0\n${rows}`;
const LINE = solomon('1 1 0 10 0 100 1\n2 2 0 10 0 100 1\n3 3 0 10 0 100 1\n4 0 2 10 0 100 1\n');

// Li & Lim: pickup 1 → delivery 2, pickup 3 → delivery 4.
const PAIRS = [
  '2\t15\t1',
  '0\t0\t0\t0\t0\t100\t0\t0\t0',
  '1\t1\t0\t10\t0\t100\t0\t0\t2',
  '2\t2\t0\t-10\t0\t100\t0\t1\t0',
  '3\t3\t0\t10\t0\t100\t0\t0\t4',
  '4\t4\t0\t-10\t0\t100\t0\t3\t0',
].join('\n');

describe('independent solution checker', () => {
  it('accepts a feasible solution and recomputes its double-precision cost', () => {
    const r = checkSolution(parseInstance(LINE), [[1, 2, 3], [4]]);
    expect(r.violations).toEqual([]);
    expect(r.feasible).toBe(true);
    expect(r.vehicles).toBe(2);
    expect(r.cost).toBeCloseTo(6 + 4, 12);
  });

  it('reports missing, repeated, unknown customers and the depot inside a route', () => {
    const inst = parseInstance(LINE);
    expect(checkSolution(inst, [[1, 2, 3]]).missing).toEqual([4]);
    expect(checkSolution(inst, [[1, 2, 3], [4, 1]]).violations.join()).toMatch(/node 1 visited twice/);
    expect(checkSolution(inst, [[1, 2, 3, 4, 9]]).violations.join()).toMatch(/unknown node 9/);
    expect(checkSolution(inst, [[1, 0, 2], [3, 4]]).violations.join()).toMatch(/depot 0 inside/);
  });

  it('enforces capacity, the fleet size and empty routes not counting as vehicles', () => {
    const inst = parseInstance(LINE);
    expect(checkSolution(inst, [[1, 2, 3, 4]]).violations.join()).toMatch(/load 40 exceeds capacity 30/);
    expect(checkSolution(inst, [[1], [2], [3], [4]]).violations.join()).toMatch(/4 routes exceed the fleet of 3/);
    expect(checkSolution(inst, [[1], [2], [3], [4]], { fleetSize: 4 }).feasible).toBe(true);
    expect(checkSolution(inst, [[1, 2], [], [3, 4]]).vehicles).toBe(2);
  });

  it('allows waiting for a window but not arriving after the due date or returning late', () => {
    const waits = parseInstance(solomon('1 1 0 1 50 60 0\n'));
    expect(checkSolution(waits, [[1]]).feasible).toBe(true);
    const late = parseInstance(solomon('1 1 0 1 0 5 0\n2 5 0 1 0 5 0\n'));
    // 1 served at 1, then 2 at 5 (due 5, fine); reversed: 2 at 5, then 1 at 9 > 5.
    expect(checkSolution(late, [[1, 2]]).feasible).toBe(true);
    expect(checkSolution(late, [[2, 1]]).violations.join()).toMatch(/node 1 served at 9 after its due date 5/);
    const longService = parseInstance(solomon('1 1 0 1 0 50 98\n'));
    expect(checkSolution(longService, [[1]]).feasible).toBe(true); // back at 100 = the depot's due date
    const backLate = parseInstance(solomon('1 1 0 1 0 50 99\n'));
    expect(checkSolution(backLate, [[1]]).violations.join()).toMatch(/back at the depot at 101/);
  });

  it('checks pickup/delivery pairing, precedence and the load on board', () => {
    const inst = parseInstance(PAIRS);
    expect(checkSolution(inst, [[1, 2, 3, 4]]).feasible).toBe(true);
    expect(checkSolution(inst, [[2, 1], [3, 4]]).violations.join()).toMatch(/delivery 2 comes before its pickup 1/);
    expect(checkSolution(inst, [[1, 4], [3, 2]]).violations.join()).toMatch(/different routes/);
    // Both pickups first: 20 on board > 15.
    expect(checkSolution(inst, [[1, 3, 2, 4]]).violations.join()).toMatch(/load 20 exceeds capacity 15/);
  });

  it('uses each set convention: nint per edge, tenths truncated per edge', () => {
    const tsplib = (edge: string, extra = '') =>
      `NAME : t\nTYPE : CVRP\nDIMENSION : 3\nCAPACITY : 10\n${extra}EDGE_WEIGHT_TYPE : ${edge}\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\nDEMAND_SECTION\n1 0\n2 1\n3 1\nDEPOT_SECTION\n1\n-1\n`;
    // Edges √2, √2, √8: nint 1 + 1 + 3 = 5; truncated 1.4 + 1.4 + 2.8 = 5.6 (summed in tenths, exactly).
    expect(checkSolution(parseInstance(tsplib('EUC_2D')), [[2, 3]]).cost).toBe(5);
    expect(checkSolution(parseInstance(tsplib('FLOOR_2D', 'SCALE : 10\n')), [[2, 3]]).cost).toBe(5.6);
    expect(checkSolution(parseInstance(tsplib('EXACT_2D')), [[2, 3]]).cost).toBeCloseTo(4 * Math.SQRT2, 12);
  });

  it('reads the three BKS solution file formats into file node ids', () => {
    const x = parseInstance(`NAME : t\nDIMENSION : 3\nCAPACITY : 10\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\nDEMAND_SECTION\n1 0\n2 1\n3 1\nDEPOT_SECTION\n1\n-1\n`);
    expect(parseSolutionText('Route #1: 2\nRoute #2: 1\nCost 5\n', x)).toEqual([[3], [2]]);
    expect(parseSolutionText('TOUR_SECTION\n1\n3\n5\n2\n-1\nEOF\n', x)).toEqual([[3], [2]]);
    expect(parseSolutionText('Solution\r\nRoute 1 : 1 4 \r\nRoute 2 : 3 2\r\n', parseInstance(PAIRS))).toEqual([[1, 4], [3, 2]]);
  });
});
