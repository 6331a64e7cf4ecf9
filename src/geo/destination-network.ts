/**
 * Loads what the destination resolver needs (townships, open stations, each county's boundary)
 * from the database; the network is reference data that changes only when a county is imported,
 * so intake keeps it in memory and reloads it after an import (`ReloadableResolver`).
 */
import type { Kysely } from 'kysely';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { DEFAULT_COUNTY_ID, type Database } from '../db/schema.ts';
import { createCountyResolver, type DestinationResolver, type ResolverNetwork, type ResolverOptions } from './destination-resolver.ts';

type Boundary = Feature<Polygon | MultiPolygon>;

export async function loadResolverNetwork(
  db: Kysely<Database>,
  boundary: Boundary | null,
): Promise<ResolverNetwork & { readonly boundaries: ReadonlyMap<string, Boundary | null> }> {
  const [townships, stations, counties] = await Promise.all([
    db.selectFrom('townships').select(['code', 'name', 'county_id']).orderBy('code').execute(),
    db.selectFrom('stations').select(['code', 'name', 'township_code', 'lat', 'lon', 'county_id']).where('active', '=', 1).orderBy('code').execute(),
    db.selectFrom('counties').select(['id', 'boundary_json']).execute(),
  ]);
  // Each county's own boundary; `boundary` (the caller's) stands in for Qin County's when its row has none.
  const boundaries = new Map<string, Boundary | null>(counties.map((c) => [c.id, c.boundary_json ? (JSON.parse(c.boundary_json) as Boundary) : null]));
  if (!boundaries.get(DEFAULT_COUNTY_ID)) boundaries.set(DEFAULT_COUNTY_ID, boundary);
  return { townships, stations, boundary: counties.length > 1 ? null : boundary, boundaries };
}

/**
 * The intake's resolver, reloaded from the database after an import in this process
 * (`reload`), and at most `refreshMs` after one in another process (it compares the counties'
 * `updated_at` in the background).
 */
export class ReloadableResolver {
  #current: DestinationResolver;
  #stamp = '';
  #timer: NodeJS.Timeout | undefined;
  readonly #db: Kysely<Database>;
  readonly #boundary: Boundary | null;
  readonly #options: ResolverOptions;
  stations = 0;

  private constructor(db: Kysely<Database>, boundary: Boundary | null, options: ResolverOptions) {
    this.#db = db;
    this.#boundary = boundary;
    this.#options = options;
    this.#current = () => ({ ok: false, reason: 'unknown_station', message: 'the network is not loaded' });
  }

  static async create(db: Kysely<Database>, boundary: Boundary | null, options: ResolverOptions & { refreshMs?: number } = {}): Promise<ReloadableResolver> {
    const r = new ReloadableResolver(db, boundary, options);
    await r.reload();
    if (options.refreshMs !== undefined && options.refreshMs > 0) {
      r.#timer = setInterval(() => void r.#refreshIfChanged().catch(() => undefined), options.refreshMs);
      r.#timer.unref();
    }
    return r;
  }

  /** The resolver to hand to the app: always asks the current network. */
  readonly resolve: DestinationResolver = (destination, counties) => this.#current(destination, counties);

  async reload(): Promise<void> {
    const network = await loadResolverNetwork(this.#db, this.#boundary);
    this.#current = createCountyResolver(network, this.#options);
    this.stations = network.stations.length;
    this.#stamp = await this.#stampNow();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  async #stampNow(): Promise<string> {
    const rows = await this.#db.selectFrom('counties').select(['id', 'updated_at']).orderBy('id').execute();
    return rows.map((r) => `${r.id}@${r.updated_at}`).join(',');
  }

  async #refreshIfChanged(): Promise<void> {
    if ((await this.#stampNow()) !== this.#stamp) await this.reload();
  }
}
