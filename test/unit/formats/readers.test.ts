import { describe, expect, it } from 'vitest';
import { InstanceFormatError, parseInstance, toProblem } from '../../../src/formats/index.ts';
import { toFileRoutes } from '../../../src/formats/solution-routes.ts';
import type { Solution } from '../../../src/solver/model.ts';

const VRPLIB = `NAME : tiny-cvrp
TYPE : CVRP
DIMENSION : 4
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 0 0
2 3 4
3 0 1
4 2 3
DEMAND_SECTION
1 0
2 6
3 5
4 4
DEPOT_SECTION
1
-1
EOF
`;

const lkh = (edge: string, scale: string) =>
  `NAME : T1\r\nTYPE : CVRPTW\r\nDIMENSION : 3\r\nVEHICLES : 2\r\nCAPACITY : 50\r\nSERVICE_TIME : 5\r\n${scale}EDGE_WEIGHT_TYPE : ${edge}\r\n` +
  'NODE_COORD_SECTION\r\n1 0 0\r\n2 1 1\r\n3 0 2\r\nDEMAND_SECTION\r\n1 0\r\n2 10\r\n3 20\r\n' +
  'TIME_WINDOW_SECTION\r\n1 0 100\r\n2 3 20\r\n3 0 50\r\nDEPOT_SECTION\r\n1\r\n-1\r\nEOF\r\n';

const SOLOMON = `r_tiny

VEHICLE
NUMBER     CAPACITY
  3          100

CUSTOMER
CUST NO.  XCOORD.    YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE TIME

    0      0         0          0          0       500          0
    1      3         4         10         10        60         10
    2      6         8         20          0       200         10
`;

// vehicles capacity speed; id x y demand ready due service pickupSibling deliverySibling
const LI_LIM = [
  '2\t30\t1',
  '0\t0\t0\t0\t0\t1000\t0\t0\t0',
  '1\t1\t0\t10\t0\t900\t5\t0\t2',
  '2\t2\t0\t-10\t0\t900\t5\t1\t0',
  '3\t0\t3\t-20\t0\t900\t5\t4\t0',
  '4\t0\t4\t20\t0\t900\t5\t0\t3',
].join('\n');

describe('format detection and readers', () => {
  it('reads a VRPLIB CVRP: EUC_2D rounded, scale 1, unlimited fleet bounded by 2·D/Q + 1', () => {
    const loaded = toProblem(parseInstance(VRPLIB, 'fallback'));
    expect(loaded.format).toBe('vrplib');
    expect(loaded.name).toBe('tiny-cvrp');
    expect(loaded.objective).toBe('distance');
    expect(loaded.scale).toBe(1);
    expect(loaded.nodeIds).toEqual([1, 2, 3, 4]);
    expect(loaded.fleetSize).toBeUndefined();
    const { problem } = loaded;
    expect(problem.jobs.map((j) => [j.id, j.location, j.delivery[0], j.timeWindows])).toEqual([
      ['2', 1, 6, undefined],
      ['3', 2, 5, undefined],
      ['4', 3, 4, undefined],
    ]);
    // min(n = 3, ceil(2·15/10) + 1 = 4)
    expect(problem.vehicles).toHaveLength(3);
    expect(problem.vehicles[0]).toMatchObject({ startLocation: 0, endLocation: 0, capacity: [10], fixedCost: 0 });
    const d = problem.profiles[0]!.distance;
    expect(d[0 * 4 + 1]).toBe(5); // 3-4-5
    expect(d[0 * 4 + 2]).toBe(1);
    expect(d[0 * 4 + 3]).toBe(4); // √13 = 3.61 → 4
    expect(d[2 * 4 + 3]).toBe(3); // √8 = 2.83 → 3
  });

  it('reads LKH-3 FLOOR_2D as distances truncated to tenths, scaled ×10, time windows ×10', () => {
    const loaded = toProblem(parseInstance(lkh('FLOOR_2D', 'SCALE : 10\r\n'), 'x'));
    expect(loaded.format).toBe('lkh-vrptw');
    expect(loaded.objective).toBe('distance');
    expect(loaded.scale).toBe(10);
    expect(loaded.fleetSize).toBe(2);
    const { problem } = loaded;
    const d = problem.profiles[0]!;
    expect(d.distance[0 * 3 + 1]).toBe(14); // √2 = 1.414 → 1.4
    expect(d.duration[0 * 3 + 1]).toBe(14);
    expect(d.distance[0 * 3 + 2]).toBe(20);
    expect(problem.jobs[0]).toMatchObject({ id: '2', serviceTime: 50, timeWindows: [[30, 200]] });
    expect(problem.vehicles).toHaveLength(2);
    expect(problem.vehicles[0]).toMatchObject({ shift: [0, 1000], capacity: [50], fixedCost: 0 });
  });

  it('reads LKH-3 EXACT_2D as double precision: ×1000, distance rounded, time rounded up, vehicles dominate', () => {
    const loaded = toProblem(parseInstance(lkh('EXACT_2D', ''), 'x'));
    expect(loaded.objective).toBe('vehicles-then-distance');
    expect(loaded.scale).toBe(1000);
    const d = loaded.problem.profiles[0]!;
    expect(d.distance[0 * 3 + 1]).toBe(1414); // 1414.21
    expect(d.duration[0 * 3 + 1]).toBe(1415);
    expect(d.duration[0 * 3 + 2]).toBe(2000); // exactly integral: not rounded up
    // Larger than the longest any two-vehicle solution can drive ([2], [3]: 2·1414 + 2·2000).
    const fixed = loaded.problem.vehicles[0]!.fixedCost!;
    expect(fixed).toBeGreaterThan(2 * 1414 + 2 * 2000);
  });

  it('reads Solomon text: depot 0 as shift, fleet and capacity from the VEHICLE block', () => {
    const loaded = toProblem(parseInstance(SOLOMON, 'fallback'));
    expect(loaded.format).toBe('solomon');
    expect(loaded.name).toBe('r_tiny');
    expect(loaded.nodeIds).toEqual([0, 1, 2]);
    expect(loaded.fleetSize).toBe(3);
    expect(loaded.problem.vehicles).toHaveLength(3);
    expect(loaded.problem.vehicles[0]).toMatchObject({ shift: [0, 500_000], capacity: [100] });
    expect(loaded.problem.jobs[1]).toMatchObject({ id: '2', location: 2, delivery: [20], serviceTime: 10_000, timeWindows: [[0, 200_000]] });
    expect(loaded.problem.profiles[0]!.distance[0 * 3 + 1]).toBe(5000);
  });

  it('reads Li & Lim as shipments pickup → delivery, whichever comes first in the file', () => {
    const loaded = toProblem(parseInstance(LI_LIM, 'lx1'));
    expect(loaded.format).toBe('li-lim');
    expect(loaded.name).toBe('lx1');
    expect(loaded.problem.jobs).toEqual([]);
    expect(loaded.problem.shipments?.map((s) => [s.id, s.amount, s.pickup.location, s.delivery.location])).toEqual([
      ['1-2', [10], 1, 2],
      ['4-3', [20], 4, 3],
    ]);
    expect(loaded.problem.vehicles).toHaveLength(2);
    expect(loaded.problem.vehicles[0]!.capacity).toEqual([30]);
  });

  it('rejects what it cannot read with a user-facing error', () => {
    expect(() => parseInstance('hello world', 'junk')).toThrow(InstanceFormatError);
    expect(() => parseInstance(VRPLIB.replace('EUC_2D', 'GEO'), 'x')).toThrow(/EDGE_WEIGHT_TYPE/);
    expect(() => parseInstance(lkh('FLOOR_2D', ''), 'x')).toThrow(/unsupported EDGE_WEIGHT_TYPE "FLOOR_2D"/);
    expect(() => parseInstance(LI_LIM.replace('-20\t0\t900\t5\t4', '-20\t0\t900\t5\t1'), 'x')).toThrow(/pair/);
    expect(() => parseInstance(SOLOMON.replace('  3          100', ''), 'x')).toThrow(InstanceFormatError);
    let caught: unknown;
    try {
      parseInstance('', 'empty');
    } catch (err) {
      caught = err;
    }
    expect((caught as { userFacing?: boolean }).userFacing).toBe(true);
  });

  it('maps a solver solution back to file node ids, both ends of an unassigned shipment', () => {
    const loaded = toProblem(parseInstance(LI_LIM, 'lx1'));
    const step = (type: 'start' | 'pickup' | 'delivery' | 'end', location: number) => ({ type, location, arrival: 0, serviceStart: 0, departure: 0, load: [0] });
    const solution: Solution = {
      cost: 0,
      iterations: 0,
      routes: [
        { vehicleId: 'v1', distance: 0, duration: 0, cost: 0, steps: [step('start', 0), step('pickup', 1), step('delivery', 2), step('end', 0)] },
        { vehicleId: 'v2', distance: 0, duration: 0, cost: 0, steps: [step('start', 0), step('end', 0)] },
      ],
      unassigned: [{ id: '4-3', kind: 'shipment', reason: 'capacity' }],
    };
    expect(toFileRoutes(loaded, solution)).toEqual({ routes: [[1, 2]], unassigned: [4, 3] });
  });
});
