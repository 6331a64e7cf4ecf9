/**
 * An integrator's client: openapi-fetch over the types openapi-typescript generates from
 * /openapi.json (gongpei-api.ts), making the smallest calls each operation accepts. This file
 * imports nothing of the server: it type-checks against the generated types alone (client.test.ts
 * runs tsc on it), and client.test.ts runs it against a real server.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './gongpei-api.ts';

export type GongpeiClient = Client<paths>;
type Schemas = components['schemas'];

export function gongpeiClient(baseUrl: string, apiKey: string): GongpeiClient {
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${apiKey}` } });
}

const recipient: Schemas['Recipient'] = { name: '张三', phone: '13800001234' };

/** A parcel with only the required fields (coldChain, fragile, codAmountFen take their defaults). */
export function minimalParcel(waybill: string, destination: Schemas['Destination']): Schemas['CreateParcel'] {
  return { waybill, destination, weightG: 1200, recipient };
}

export async function createParcel(client: GongpeiClient, parcel: Schemas['CreateParcel']) {
  return client.POST('/v1/parcels', { body: parcel });
}

/** Each of the destination's three forms, and dimensions as a [length, width, height] tuple. */
export function destinationForms(stationCode: string, township: string, village: string, lat: number, lon: number) {
  const byStation: Schemas['Destination'] = { stationCode };
  const byVillage: Schemas['Destination'] = { village };
  const byNames: Schemas['Destination'] = { township, village };
  const byPoint: Schemas['Destination'] = { lat, lon };
  return { byStation, byVillage, byNames, byPoint };
}

export async function createParcelWithDimensions(client: GongpeiClient, waybill: string, destination: Schemas['Destination']) {
  const dimensionsCm: [number, number, number] = [30, 20, 15];
  return client.POST('/v1/parcels', { body: { ...minimalParcel(waybill, destination), dimensionsCm } });
}

export async function createParcelBatch(client: GongpeiClient, parcels: Schemas['CreateParcel'][]) {
  return client.POST('/v1/parcels', { body: { parcels } });
}

export async function getParcel(client: GongpeiClient, waybill: string) {
  return client.GET('/v1/parcels/{waybill}', { params: { path: { waybill } } });
}

export async function createPickup(client: GongpeiClient, stationCode: string, readyDate: string) {
  return client.POST('/v1/pickups', {
    body: { station: { stationCode }, weightKg: 120, volumeM3: 0.4, readyDate, shipper: { name: '李四合作社', phone: '13900001234' } },
  });
}

export async function getPickup(client: GongpeiClient, id: string) {
  return client.GET('/v1/pickups/{id}', { params: { path: { id } } });
}

export async function webhookRoundTrip(client: GongpeiClient, url: string) {
  const set = await client.PUT('/v1/webhook', { body: { url, secret: 'a-shared-secret-of-32-characters' } });
  const read = await client.GET('/v1/webhook');
  const removed = await client.DELETE('/v1/webhook');
  return { set, read, removed };
}

export async function recordArrival(client: GongpeiClient, stopId: string) {
  return client.POST('/v1/stops/{stopId}/events', { params: { path: { stopId } }, body: { type: 'arrived' } });
}

export async function requestPlan(client: GongpeiClient, date: string) {
  return client.POST('/v1/plans', { body: { date } });
}

export async function readPlan(client: GongpeiClient, id: string, date: string) {
  const plan = await client.GET('/v1/plans/{id}', { params: { path: { id } } });
  const list = await client.GET('/v1/plans', { params: { query: { date } } });
  const routes = await client.GET('/v1/plans/{id}/routes', { params: { path: { id } } });
  const geojson = await client.GET('/v1/plans/{id}/routes.geojson', { params: { path: { id } } });
  const savings = await client.GET('/v1/plans/{id}/savings', { params: { path: { id } } });
  return { plan, list, routes, geojson, savings };
}

export async function getStats(client: GongpeiClient, from: string, to: string) {
  return client.GET('/v1/stats', { params: { query: { from, to } } });
}

export async function getManifests(client: GongpeiClient, routeId: string) {
  const json = await client.GET('/v1/manifests/{routeId}', { params: { path: { routeId } } });
  const html = await client.GET('/v1/manifests/{routeId}.html', { params: { path: { routeId } }, parseAs: 'text' });
  return { json, html };
}

/** What the generated types refuse: tsc reports an unused @ts-expect-error if they let these through. */
export function refusedByTheTypes(): Schemas['CreateParcel'][] {
  return [
    // @ts-expect-error weightG is required
    { waybill: 'ZT0000000001', destination: { stationCode: '140430101201' }, recipient },
    // @ts-expect-error a destination is one of the three forms, not a free object
    { waybill: 'ZT0000000002', destination: { station: '140430101201' }, weightG: 1, recipient },
    // @ts-expect-error dimensionsCm is three numbers
    { waybill: 'ZT0000000003', destination: { stationCode: '140430101201' }, weightG: 1, recipient, dimensionsCm: [30, 20] },
  ];
}
