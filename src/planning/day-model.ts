/**
 * Which parcels and pickups belong to a service date, and the clock conversions.
 *
 * A parcel rides day D when it was received by D's cut-off (local time) and is neither
 * cancelled nor already on its way: status `received` or `sorted` (consolidation may lag), or
 * `planned` by this same plan (re-planning replaces). Anything not served on day D stays
 * `sorted` and is eligible again on D+1: that is the carry-over. A pickup rides day D when it is
 * ready on or before D and still `requested` (or planned by this plan).
 */
import type { ParcelRow, PickupRow } from '../db/schema.ts';
import { DAY_RULES, type DayModel, type DayParcel, type DayPickup, type DaySettings, type VehicleDuty } from './types.ts';

/** The configured part of a day: cut-off (`HH:MM`), sorting minutes and the network's clock. */
export interface DayClock {
  readonly CUTOFF: string;
  readonly SORTING_MINUTES: number;
  readonly utcOffsetMinutes: number;
  /** Per vehicle type, over the defaults (DEFAULT_DUTY). */
  readonly VEHICLE_DUTY?: Readonly<Record<string, VehicleDuty>>;
}

/** A service day's settings (without the date) from the configuration: one source for API and workers. */
export function daySettings(clock: DayClock): Omit<DaySettings, 'serviceDate'> {
  return {
    ...DAY_RULES,
    cutoffS: secondsOfClock(clock.CUTOFF),
    sortingS: clock.SORTING_MINUTES * 60,
    utcOffsetMinutes: clock.utcOffsetMinutes,
    duty: { ...DAY_RULES.duty, ...(clock.VEHICLE_DUTY ?? {}) },
  };
}

export function secondsOfClock(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new RangeError(`expected HH:MM, got ${hhmm}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60;
}

/** `seconds` after local midnight of `date` as an ISO-8601 UTC instant. */
export function localSecondsToIso(date: string, seconds: number, utcOffsetMinutes: number): string {
  const midnightUtc = Date.parse(`${date}T00:00:00.000Z`) - utcOffsetMinutes * 60_000;
  return new Date(midnightUtc + seconds * 1000).toISOString();
}

/** The ISO instant of the day's cut-off. */
export function cutoffInstant(settings: DaySettings): string {
  return localSecondsToIso(settings.serviceDate, settings.cutoffS, settings.utcOffsetMinutes);
}

/** Today's local date (YYYY-MM-DD) in the network's clock. */
export function localDate(now: Date, utcOffsetMinutes: number): string {
  return new Date(now.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** The service date a parcel received at `now` rides: today's if its cut-off is still ahead, else tomorrow's. */
export function serviceDateFor(now: Date, settings: Pick<DaySettings, 'cutoffS' | 'utcOffsetMinutes'>): string {
  const localS = (((now.getTime() / 1000 + settings.utcOffsetMinutes * 60) % 86_400) + 86_400) % 86_400;
  return localDate(localS < settings.cutoffS ? now : new Date(now.getTime() + 86_400_000), settings.utcOffsetMinutes);
}

export function isEligibleParcel(p: Pick<ParcelRow, 'status' | 'received_at' | 'plan_id'>, cutoffIso: string, planId: string): boolean {
  if (p.received_at > cutoffIso) return false;
  if (p.status === 'received' || p.status === 'sorted') return true;
  if (p.status === 'planned') return p.plan_id === planId;
  // A delivery that failed on an earlier plan is still at its hub: it is attempted again on the
  // next plan, not left behind. (Failed on this same plan: a re-plan of the day does not retry it.)
  return p.status === 'failed' && p.plan_id !== planId;
}

export function isEligiblePickup(p: Pick<PickupRow, 'status' | 'ready_date' | 'plan_id'>, serviceDate: string, planId: string): boolean {
  if (p.ready_date > serviceDate) return false;
  return p.status === 'requested' || (p.status === 'planned' && p.plan_id === planId);
}

export function toDayParcel(p: Pick<ParcelRow, 'id' | 'courier_code' | 'station_code' | 'weight_g' | 'volume_cm3' | 'cold_chain'>): DayParcel {
  return { id: p.id, courierCode: p.courier_code, stationCode: p.station_code, weightG: p.weight_g, volumeCm3: p.volume_cm3, coldChain: p.cold_chain !== 0 };
}

export function toDayPickup(
  p: Pick<PickupRow, 'id' | 'courier_code' | 'station_code' | 'weight_g' | 'volume_cm3' | 'pieces' | 'cold_chain'>,
): DayPickup {
  return {
    id: p.id,
    courierCode: p.courier_code,
    stationCode: p.station_code,
    weightG: p.weight_g,
    volumeCm3: p.volume_cm3,
    pieces: p.pieces,
    coldChain: p.cold_chain !== 0,
  };
}

export function buildDayModel(settings: DaySettings, parcels: readonly ParcelRow[], pickups: readonly PickupRow[], planId: string): DayModel {
  const cutoff = cutoffInstant(settings);
  return {
    settings,
    parcels: parcels.filter((p) => isEligibleParcel(p, cutoff, planId)).map(toDayParcel),
    pickups: pickups.filter((p) => isEligiblePickup(p, settings.serviceDate, planId)).map(toDayPickup),
  };
}
