/**
 * The offline base map: the county's own data cut into Mapbox vector tiles (geojson-vt slices,
 * vt-pbf encodes) and packed into one PMTiles v3 archive (one file, tiles addressed by Hilbert
 * tile id, read by the browser with HTTP range requests). Pure: features in, bytes out.
 *
 * Layers: `county` (outline), `townships` (estimated areas), `roads` (when the user supplies
 * them), `places` (points with `name` and `kind`: county_warehouse, township_centre, township,
 * station). The archive covers the county's bounding box from zoom 8 to 14; the map overzooms
 * past 14.
 */
import { gzipSync } from 'node:zlib';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import GeoJSONVT, { type LegacyTile } from 'geojson-vt';
import { zxyToTileId } from 'pmtiles';
import vtpbf from 'vt-pbf';

export interface BasemapInput {
  readonly county: FeatureCollection;
  readonly townships: FeatureCollection;
  readonly roads: FeatureCollection | null;
  readonly places: FeatureCollection;
}

export interface ArchiveOptions {
  readonly minZoom?: number;
  readonly maxZoom?: number;
}

export const BASEMAP_LAYERS = ['county', 'townships', 'roads', 'places'] as const;

type Bounds = readonly [minLon: number, minLat: number, maxLon: number, maxLat: number];

function boundsOf(fc: FeatureCollection): Bounds {
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [lon, lat] = c as [number, number];
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    } else if (Array.isArray(c)) for (const x of c) visit(x);
  };
  for (const f of fc.features) {
    const g = f.geometry as Geometry & { coordinates?: unknown };
    if (g && 'coordinates' in g) visit(g.coordinates);
  }
  return [minLon, minLat, maxLon, maxLat];
}

const tileX = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const tileY = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

function writeVarint(out: number[], n: number): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

interface Entry {
  readonly tileId: number;
  readonly offset: number;
  readonly length: number;
}

/** A PMTiles v3 directory: counts, then id deltas, run lengths, lengths, offsets (0 = right after the previous). */
function serializeDirectory(entries: readonly Entry[]): Buffer {
  const out: number[] = [];
  writeVarint(out, entries.length);
  let last = 0;
  for (const e of entries) {
    writeVarint(out, e.tileId - last);
    last = e.tileId;
  }
  for (let i = 0; i < entries.length; i++) writeVarint(out, 1);
  for (const e of entries) writeVarint(out, e.length);
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    writeVarint(out, prev !== undefined && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
  });
  return gzipSync(Buffer.from(out));
}

/** Builds the archive; throws if the root directory would not fit the 16 KiB the format allows. */
export function buildCountyArchive(input: BasemapInput, options: ArchiveOptions = {}): Buffer {
  const minZoom = options.minZoom ?? 8;
  const maxZoom = options.maxZoom ?? 14;
  const sources = new Map<string, GeoJSONVT>();
  const layers: [string, FeatureCollection | null][] = [
    ['county', input.county],
    ['townships', input.townships],
    ['roads', input.roads],
    ['places', input.places],
  ];
  for (const [name, fc] of layers) {
    if (fc === null || fc.features.length === 0) continue;
    sources.set(name, new GeoJSONVT(fc, { maxZoom, indexMaxZoom: maxZoom, indexMaxPoints: 0, buffer: 64, tolerance: 3, extent: 4096 }));
  }
  const [minLon, minLat, maxLon, maxLat] = boundsOf(input.county.features.length > 0 ? input.county : input.places);

  const tiles: { tileId: number; data: Buffer }[] = [];
  for (let z = minZoom; z <= maxZoom; z++) {
    for (let x = tileX(minLon, z); x <= tileX(maxLon, z); x++) {
      for (let y = tileY(maxLat, z); y <= tileY(minLat, z); y++) {
        const byLayer: Record<string, LegacyTile> = {};
        for (const [name, index] of sources) {
          const t = index.getTile(z, x, y);
          if (t && t.features.length > 0) byLayer[name] = t;
        }
        if (Object.keys(byLayer).length === 0) continue;
        const pbf = vtpbf.fromGeojsonVt(byLayer as unknown as Parameters<typeof vtpbf.fromGeojsonVt>[0], { version: 2 });
        tiles.push({ tileId: zxyToTileId(z, x, y), data: gzipSync(Buffer.from(pbf)) });
      }
    }
  }
  tiles.sort((a, b) => a.tileId - b.tileId);
  const entries: Entry[] = [];
  let offset = 0;
  for (const t of tiles) {
    entries.push({ tileId: t.tileId, offset, length: t.data.length });
    offset += t.data.length;
  }
  const root = serializeDirectory(entries);
  if (root.length > 16_384 - 127) throw new Error(`root directory of ${root.length} bytes: more tiles than one directory holds`);
  const metadata = gzipSync(
    Buffer.from(
      JSON.stringify({
        name: 'gongpei county base map',
        attribution: 'gongpei network dataset',
        vector_layers: BASEMAP_LAYERS.map((id) => ({ id, fields: id === 'places' ? { name: 'String', kind: 'String' } : { name: 'String' }, minzoom: minZoom, maxzoom: maxZoom })),
      }),
    ),
  );
  const tileData = Buffer.concat(tiles.map((t) => t.data));

  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'ascii');
  header.writeUInt8(3, 7);
  const u64 = (at: number, v: number) => header.writeBigUInt64LE(BigInt(v), at);
  const rootOffset = 127;
  const metadataOffset = rootOffset + root.length;
  const tileDataOffset = metadataOffset + metadata.length;
  u64(8, rootOffset);
  u64(16, root.length);
  u64(24, metadataOffset);
  u64(32, metadata.length);
  u64(40, tileDataOffset); // no leaf directories
  u64(48, 0);
  u64(56, tileDataOffset);
  u64(64, tileData.length);
  u64(72, entries.length); // addressed tiles
  u64(80, entries.length); // tile entries
  u64(88, entries.length); // tile contents
  header.writeUInt8(1, 96); // clustered: tile data in tile-id order
  header.writeUInt8(2, 97); // internal compression: gzip
  header.writeUInt8(2, 98); // tile compression: gzip
  header.writeUInt8(1, 99); // tile type: MVT
  header.writeUInt8(minZoom, 100);
  header.writeUInt8(maxZoom, 101);
  const e7 = (deg: number) => Math.round(deg * 1e7);
  header.writeInt32LE(e7(minLon), 102);
  header.writeInt32LE(e7(minLat), 106);
  header.writeInt32LE(e7(maxLon), 110);
  header.writeInt32LE(e7(maxLat), 114);
  header.writeUInt8(Math.min(maxZoom, 10), 118);
  header.writeInt32LE(e7((minLon + maxLon) / 2), 119);
  header.writeInt32LE(e7((minLat + maxLat) / 2), 123);
  return Buffer.concat([header, root, metadata, tileData]);
}

/** A point feature of the `places` layer. */
export function place(lon: number, lat: number, name: string, kind: string): Feature {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { name, kind } };
}
