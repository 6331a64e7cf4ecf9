import { describe, expect, it } from 'vitest';
import type { ParcelRow, PickupRow } from '../../../src/db/schema.ts';
import { buildDayModel, cutoffInstant, localDate, localSecondsToIso, secondsOfClock, serviceDateFor } from '../../../src/planning/day-model.ts';
import { compareSavings, planMetrics, splitByCourier, SHARED_PICKUPS } from '../../../src/planning/metrics.ts';
import { TEST_SETTINGS } from '../../support/config.ts';
import { day, parcel, pickup } from './fixture.ts';

const settings = { ...TEST_SETTINGS, serviceDate: '2026-11-28' };

const row = (id: string, over: Partial<ParcelRow>): ParcelRow => ({
  id,
  county_id: '140430',
  courier_code: 'ZTO',
  waybill: id,
  station_code: 's-a1',
  destination_json: '{}',
  weight_g: 1000,
  length_cm: null,
  width_cm: null,
  height_cm: null,
  volume_cm3: 5000,
  cold_chain: 0,
  fragile: 0,
  cod_amount_fen: 0,
  recipient_name: 'x',
  recipient_phone: 'x',
  promised_date: null,
  body_hash: 'h',
  status: 'sorted',
  hub_id: 'A',
  plan_id: null,
  stop_id: null,
  received_at: '2026-11-27T12:00:00.000Z',
  updated_at: '2026-11-27T12:00:00.000Z',
  attempts: 0,
  status_reason: null,
  ...over,
});

const pickupRow = (id: string, over: Partial<PickupRow>): PickupRow => ({
  id,
  county_id: '140430',
  courier_code: null,
  station_code: 's-a1',
  shipper_name: 'x',
  shipper_phone: 'x',
  description: null,
  reference: null,
  weight_g: 5000,
  volume_cm3: 10_000,
  pieces: 1,
  cold_chain: 1,
  ready_date: '2026-11-28',
  body_hash: 'h',
  status: 'requested',
  plan_id: null,
  stop_id: null,
  created_at: '2026-11-27T12:00:00.000Z',
  updated_at: '2026-11-27T12:00:00.000Z',
  ...over,
});

describe('clock conversions', () => {
  it('maps local seconds of the service date to UTC (China is UTC+8)', () => {
    expect(secondsOfClock('06:30')).toBe(23_400);
    expect(localSecondsToIso('2026-11-28', 6 * 3600, 480)).toBe('2026-11-27T22:00:00.000Z');
    expect(cutoffInstant(settings)).toBe('2026-11-27T22:00:00.000Z');
    expect(localDate(new Date('2026-11-27T17:00:00Z'), 480)).toBe('2026-11-28');
  });
});

describe("the day's model", () => {
  it('takes parcels received by the cut-off that are not cancelled or planned elsewhere', () => {
    const parcels = [
      row('ok', {}),
      row('late', { received_at: '2026-11-27T22:00:00.001Z' }),
      row('cancelled', { status: 'cancelled' }),
      row('received', { status: 'received', hub_id: null }),
      row('carried-over', { received_at: '2026-11-25T08:00:00.000Z', plan_id: 'old-plan' }),
      row('mine', { status: 'planned', plan_id: 'plan-1' }),
      row('elsewhere', { status: 'planned', plan_id: 'plan-0' }),
      row('delivered', { status: 'delivered' }),
      row('failed-earlier', { status: 'failed', plan_id: 'plan-0' }),
      row('failed-today', { status: 'failed', plan_id: 'plan-1' }),
    ];
    const pickups = [pickupRow('ready', {}), pickupRow('tomorrow', { ready_date: '2026-11-29' }), pickupRow('done', { status: 'picked_up' })];
    const model = buildDayModel(settings, parcels, pickups, 'plan-1');
    // A delivery that failed on an earlier plan is attempted again; one that failed on this plan is not.
    expect(model.parcels.map((p) => p.id)).toEqual(['ok', 'received', 'carried-over', 'mine', 'failed-earlier']);
    expect(model.pickups.map((p) => p.id)).toEqual(['ready']);
    expect(model.pickups[0]!.coldChain).toBe(true);
    expect(model.parcels[0]).toEqual({ id: 'ok', courierCode: 'ZTO', stationCode: 's-a1', weightG: 1000, volumeCm3: 5000, coldChain: false });
  });
});

describe('co-delivery comparison', () => {
  it('splits the day by courier, shared pickups as one more operator', () => {
    const split = splitByCourier(day([parcel('a', 's-a1'), parcel('b', 's-a1', { courierCode: 'YTO' })], [pickup('k', 's-a1')]));
    expect([...split.keys()]).toEqual([SHARED_PICKUPS, 'YTO', 'ZTO']);
    expect(split.get('ZTO')!.parcels.map((p) => p.id)).toEqual(['a']);
    expect(split.get(SHARED_PICKUPS)!.pickups.map((p) => p.id)).toEqual(['k']);
  });

  it('sums the separate plans and reports the difference', () => {
    const joint = { routes: 2, km: 100, vehicleDays: 2, driverHours: 10, costYuan: 500, co2Kg: 20, unassigned: 0 };
    const alone = { routes: 2, km: 80, vehicleDays: 2, driverHours: 8, costYuan: 400, co2Kg: 15, unassigned: 1 };
    const report = compareSavings(joint, { ZTO: alone, YTO: alone }, { seed: 1, timeLimitMs: 100 });
    expect(report.separate).toEqual({ routes: 4, km: 160, vehicleDays: 4, driverHours: 16, costYuan: 800, co2Kg: 30, unassigned: 2 });
    expect(report.saved).toEqual({ routes: 2, km: 60, vehicleDays: 2, driverHours: 6, costYuan: 300, co2Kg: 10 });
    expect(report.savedShare.km).toBe(0.375);
  });

  it('measures a plan: km, vehicles, hours, cost and CO₂ by vehicle type', () => {
    const route = (vehicleId: string, vehicleType: string, distanceM: number) => ({
      tier: 'village' as const, hubId: 'A', vehicleId, vehicleType, trips: 1, distanceM, durationS: 3600, costFen: 10_000, startS: 0, endS: 3600,
      peakLoad: [0, 0, 0] as [number, number, number], capacity: [0, 0, 0] as [number, number, number], stops: [],
    });
    const m = planMetrics([route('t', 'line_haul_truck', 100_000), route('e', 'e_tricycle', 10_000)], 3);
    expect(m).toEqual({ routes: 2, km: 110, vehicleDays: 2, driverHours: 2, costYuan: 200, co2Kg: 25.3, unassigned: 3 });
  });
});

describe('serviceDateFor', () => {
  const settings = { cutoffS: 6 * 3600, utcOffsetMinutes: 480 };
  it('gives today before the local cut-off and tomorrow after it', () => {
    expect(serviceDateFor(new Date('2026-11-27T21:59:00Z'), settings)).toBe('2026-11-28'); // 05:59 local
    expect(serviceDateFor(new Date('2026-11-27T22:00:00Z'), settings)).toBe('2026-11-29'); // 06:00 local
    expect(serviceDateFor(new Date('2026-11-28T15:59:00Z'), settings)).toBe('2026-11-29'); // 23:59 local
  });
  it('follows the configured clock', () => {
    expect(serviceDateFor(new Date('2026-11-27T21:59:00Z'), { cutoffS: 6 * 3600, utcOffsetMinutes: 0 })).toBe('2026-11-28'); // 21:59 UTC, past 06:00
  });
});
