import { describe, expect, it } from 'vitest';
import {
  haversineMetres,
  haversineRoadMatrix,
  secondsAt,
  subMatrix,
  travelProfile,
  UNREACHABLE,
} from '../../../src/geo/matrix.ts';

const county = { lat: 36.7561, lon: 112.6992 };
const guocun = { lat: 36.7471, lon: 112.5855 };
const guxian = { lat: 36.5969, lon: 112.6262 };

describe('haversine road matrix', () => {
  it('measures a known distance (one degree of latitude ≈ 111.2 km)', () => {
    expect(haversineMetres({ lat: 36, lon: 112 }, { lat: 37, lon: 112 })).toBeCloseTo(111_195, -1);
  });

  it('is symmetric with a zero diagonal and scales by the detour factor', () => {
    const plain = haversineRoadMatrix([county, guocun, guxian], 1);
    const detour = haversineRoadMatrix([county, guocun, guxian], 1.3);
    expect(plain.size).toBe(3);
    for (let i = 0; i < 3; i++) {
      expect(plain.distance[i * 3 + i]).toBe(0);
      for (let j = 0; j < 3; j++) {
        expect(plain.distance[i * 3 + j]).toBe(plain.distance[j * 3 + i]);
        expect(Math.abs(detour.distance[i * 3 + j]! - plain.distance[i * 3 + j]! * 1.3)).toBeLessThanOrEqual(1);
      }
    }
    // 郭村镇 is about 10 km west of the county seat (FACTS: 10.2 km straight line).
    expect(plain.distance[1]).toBeGreaterThan(9_500);
    expect(plain.distance[1]).toBeLessThan(10_800);
  });

  it('rejects a detour factor below 1', () => {
    expect(() => haversineRoadMatrix([county], 0.9)).toThrow(RangeError);
  });
});

describe('travel profiles per vehicle speed', () => {
  it('derives durations from speed, rounding up', () => {
    expect(secondsAt(1000, 36)).toBe(100);
    expect(secondsAt(1001, 36)).toBe(101);
    const road = haversineRoadMatrix([county, guocun]);
    const truck = travelProfile(road, 50);
    const tricycle = travelProfile(road, 25);
    expect(tricycle.duration[1]).toBeGreaterThan(truck.duration[1]!);
    expect(truck.distance).toBe(road.distance);
  });

  it('never beats a road service duration and keeps unreachable pairs unreachable', () => {
    const road = {
      size: 2,
      distance: Int32Array.from([0, 10_000, UNREACHABLE, 0]),
      duration: Int32Array.from([0, 2_000, UNREACHABLE, 0]),
    };
    const profile = travelProfile(road, 60);
    expect(profile.duration[1]).toBe(2_000); // the service's slow road wins over 600 s at 60 km/h
    expect(profile.duration[2]).toBe(UNREACHABLE);
  });

  it('extracts a sub-matrix in the given order', () => {
    const road = haversineRoadMatrix([county, guocun, guxian]);
    const sub = subMatrix(road, [2, 0]);
    expect(sub.size).toBe(2);
    expect(sub.distance[1]).toBe(road.distance[2 * 3 + 0]);
    expect(sub.distance[2]).toBe(road.distance[0 * 3 + 2]);
  });
});
