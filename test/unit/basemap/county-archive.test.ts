/**
 * The offline base map archive read back with the PMTiles reader the browser uses: a valid v3
 * header over the county, tiles where the county is and none elsewhere, the layers and the names
 * inside them, roads only when supplied, and HTTP range answers for the reader's requests.
 */
import { gunzipSync } from 'node:zlib';
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import { buildCountyArchive, place } from '../../../src/basemap/county-archive.ts';
import { sendRange } from '../../../src/basemap/basemap.service.ts';
import { loadNetwork } from '../../../src/network/index.ts';

class BufferSource implements Source {
  readonly reads: [number, number][] = [];
  constructor(private readonly buf: Buffer) {}
  getKey = () => 'memory';
  getBytes = async (offset: number, length: number): Promise<RangeResponse> => {
    this.reads.push([offset, length]);
    const slice = this.buf.subarray(offset, offset + length);
    return { data: slice.buffer.slice(slice.byteOffset, slice.byteOffset + slice.byteLength) as ArrayBuffer };
  };
}

const network = loadNetwork();
const station = network.stations[0]!;
const input = {
  county: { type: 'FeatureCollection' as const, features: [network.boundary!] },
  townships: network.townshipAreas!,
  roads: null,
  places: { type: 'FeatureCollection' as const, features: [place(station.lon, station.lat, station.name, 'station')] },
};

/** The tile x/y of a point at zoom z (Web Mercator). */
const tileOf = (lon: number, lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return { x: Math.floor(((lon + 180) / 360) * 2 ** z), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z) };
};

/** An MVT is protobuf: layer names and string values are stored as UTF-8 bytes. */
const tileText = async (archive: PMTiles, z: number, lon: number, lat: number): Promise<string | null> => {
  const { x, y } = tileOf(lon, lat, z);
  const tile = await archive.getZxy(z, x, y);
  return tile ? Buffer.from(tile.data).toString('utf8') : null;
};

describe('county base map archive', () => {
  const bytes = buildCountyArchive(input);
  const source = new BufferSource(bytes);
  const archive = new PMTiles(source);

  it('has a PMTiles v3 header over the county, zoom 8 to 14, vector tiles', async () => {
    expect(bytes.subarray(0, 7).toString('ascii')).toBe('PMTiles');
    const h = await archive.getHeader();
    expect(h).toMatchObject({ specVersion: 3, minZoom: 8, maxZoom: 14, tileType: 1 });
    // Qin County is about 112.4–112.9 °E, 36.5–37.0 °N.
    expect(h.minLon).toBeGreaterThan(112.2);
    expect(h.maxLon).toBeLessThan(113.1);
    expect(h.minLat).toBeGreaterThan(36.3);
    expect(h.maxLat).toBeLessThan(37.2);
    expect(h.numAddressedTiles).toBeGreaterThan(100);
    const meta = (await archive.getMetadata()) as { vector_layers: { id: string }[] };
    expect(meta.vector_layers.map((l) => l.id)).toEqual(['county', 'townships', 'roads', 'places']);
  });

  it('holds the station’s name in the tile under it at every zoom, and no tile far away', async () => {
    for (const z of [8, 11, 14]) {
      const text = await tileText(archive, z, station.lon, station.lat);
      expect(text, `zoom ${z}`).toContain(station.name);
      expect(text).toContain('places');
      expect(text).toContain('townships');
    }
    expect(await tileText(archive, 12, 116.4, 39.9)).toBeNull(); // Beijing
  });

  it('carries roads only when the user supplies them', async () => {
    const { x, y } = tileOf(station.lon, station.lat, 12);
    expect(Buffer.from((await archive.getZxy(12, x, y))!.data).toString('utf8')).not.toContain('roads');
    const road = { type: 'Feature' as const, geometry: { type: 'LineString' as const, coordinates: [[station.lon - 0.01, station.lat], [station.lon + 0.01, station.lat]] }, properties: { name: 'X123 县道' } };
    const withRoads = new PMTiles(new BufferSource(buildCountyArchive({ ...input, roads: { type: 'FeatureCollection', features: [road] } })));
    const text = await tileText(withRoads, 12, station.lon, station.lat);
    expect(text).toContain('roads');
    expect(text).toContain('X123 县道');
  });

  it('stores tiles gzip-compressed, as the header says', () => {
    // The first tile starts right after the header, root directory and metadata.
    const tileDataOffset = Number(bytes.readBigUInt64LE(56));
    expect(gunzipSync(bytes.subarray(tileDataOffset, tileDataOffset + Number(bytes.readBigUInt64LE(64)))).length).toBeGreaterThan(0);
  });

  it('answers range requests as PMTiles readers send them', () => {
    expect(sendRange(undefined, 1000)).toEqual({ status: 200, start: 0, end: 999 });
    expect(sendRange('bytes=0-16383', 1000)).toEqual({ status: 206, start: 0, end: 999 });
    expect(sendRange('bytes=100-199', 1000)).toEqual({ status: 206, start: 100, end: 199 });
    expect(sendRange('bytes=900-', 1000)).toEqual({ status: 206, start: 900, end: 999 });
    expect(sendRange('bytes=-10', 1000)).toEqual({ status: 206, start: 990, end: 999 });
    expect(sendRange('bytes=1000-1010', 1000).status).toBe(416);
    expect(sendRange('bytes=5-1', 1000).status).toBe(416);
    expect(sendRange('items=1-2', 1000).status).toBe(200);
  });
});
