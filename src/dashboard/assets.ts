/**
 * The browser pages' assets, built in memory when the server starts (there is no build step to go
 * stale): each page's ES modules and Leaflet bundled and minified by esbuild, its stylesheets
 * (Leaflet's and ours) in one minified CSS file, both pre-compressed (Brotli and gzip) once, and
 * served under content-hashed names that browsers may cache for a year.
 *
 * The pages keep importing Leaflet by its served path (`/vendor/leaflet/leaflet-src.esm.js`), so
 * the sources stay plain modules; the bundler maps that path to the npm package.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import type { Request, RequestHandler, Response } from 'express';

const PUBLIC_DIR = join(import.meta.dirname, 'public');
export const LEAFLET_DIR = join(dirname(createRequire(import.meta.url).resolve('leaflet/package.json')), 'dist');

export interface PageEntry {
  /** The page's module, relative to src/dashboard/public. */
  readonly script: string;
  /** Stylesheets, in order (absolute paths or relative to src/dashboard/public). */
  readonly styles: readonly string[];
}

export interface BuiltAsset {
  readonly path: string;
  readonly type: string;
  readonly body: Buffer;
  readonly br: Buffer;
  readonly gzip: Buffer;
  readonly etag: string;
}

export interface PageAssets {
  readonly script: BuiltAsset;
  readonly style: BuiltAsset;
}

/** `/vendor/leaflet/…` (as the sources import it) → the leaflet package's dist folder. */
const vendorLeaflet: Plugin = {
  name: 'vendor-leaflet',
  setup(b) {
    b.onResolve({ filter: /^\/vendor\/leaflet\// }, (args) => ({ path: join(LEAFLET_DIR, args.path.slice('/vendor/leaflet/'.length)) }));
    b.onResolve({ filter: /^\/(dashboard|driver)\// }, (args) => ({ path: join(PUBLIC_DIR, args.path.replace(/^\/(dashboard|driver)\//, '')) }));
  },
};

function asset(name: string, ext: string, type: string, body: Buffer): BuiltAsset {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 12);
  return {
    path: `/assets/${name}-${hash}.${ext}`,
    type,
    body,
    br: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
    gzip: gzipSync(body, { level: 9 }),
    etag: `"${hash}"`,
  };
}

export async function buildPage(name: string, entry: PageEntry): Promise<PageAssets> {
  const js = await build({
    entryPoints: [join(PUBLIC_DIR, entry.script)],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    write: false,
    legalComments: 'none',
    plugins: [vendorLeaflet],
    logLevel: 'silent',
  });
  // One stylesheet: Leaflet's images inlined as data: URLs (the CSP allows data: images).
  const cssSource = entry.styles.map((s) => `@import ${JSON.stringify(s.startsWith('/') ? s : join(PUBLIC_DIR, s))};`).join('\n');
  const css = await build({
    stdin: { contents: cssSource, loader: 'css', resolveDir: PUBLIC_DIR },
    bundle: true,
    minify: true,
    write: false,
    loader: { '.png': 'dataurl', '.svg': 'dataurl' },
    logLevel: 'silent',
  });
  return {
    script: asset(name, 'js', 'text/javascript; charset=utf-8', Buffer.from(js.outputFiles[0]!.contents)),
    style: asset(name, 'css', 'text/css; charset=utf-8', Buffer.from(css.outputFiles[0]!.contents)),
  };
}

/** Sends a built asset in the best encoding the client accepts. */
export function sendAsset(req: Request, res: Response, a: BuiltAsset): void {
  res.setHeader('Content-Type', a.type);
  res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  res.setHeader('ETag', a.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.headers['if-none-match'] === a.etag) {
    res.status(304).end();
    return;
  }
  const accepted = String(req.headers['accept-encoding'] ?? '');
  const [body, encoding] = /\bbr\b/.test(accepted) ? [a.br, 'br'] : /\bgzip\b/.test(accepted) ? [a.gzip, 'gzip'] : [a.body, null];
  if (encoding) res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', String(body.length));
  res.end(body);
}

/** Serves every built asset of the pages at its hashed path. */
export function assetHandler(pages: () => Promise<readonly PageAssets[]>): RequestHandler {
  return async (req, res, next) => {
    const all = await pages();
    for (const p of all) {
      for (const a of [p.script, p.style]) {
        if (a.path === req.path) {
          sendAsset(req, res, a);
          return;
        }
      }
    }
    next();
  };
}
