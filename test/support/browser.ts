/**
 * The one way tests get a browser: the headless Chromium that ships inside the npm package
 * @sparticuz/chromium (a Brotli-compressed binary in its `bin/`), driven by playwright-core.
 * `npm install` is all a machine needs: no system package, no download at test time.
 *
 * The package's own `executablePath()` inflates to a fixed `/tmp/chromium` and reuses whatever
 * file is there, of any version, even half-written by a run that was stopped mid-way. So the
 * binary is inflated here instead, once per package version, into `node_modules/.cache`, through
 * a temporary file renamed into place: parallel test files and stopped runs never see a partial
 * binary, and an upgrade of the package gets its own binary.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))), '..', '..');
const CACHE_DIR = resolve(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'gongpei-chromium');

/**
 * Flags for a throw-away test browser. Not the package's `chromium.args`: those are made for
 * AWS Lambda and include `--disable-web-security`, which would hide the dashboard's CSP and
 * same-origin mistakes from the tests.
 */
const ARGS = ['--no-sandbox', '--no-zygote', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

let executable: Promise<string> | undefined;

/** The path of the inflated Chromium binary; inflates it on first use (~2 s). */
export function chromiumExecutable(): Promise<string> {
  executable ??= inflateChromium();
  return executable;
}

async function inflateChromium(): Promise<string> {
  const { version } = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string };
  const target = join(CACHE_DIR, version, 'chromium');
  if (existsSync(target)) return target;
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await pipeline(createReadStream(join(PACKAGE_DIR, 'bin', 'chromium.br')), createBrotliDecompress(), createWriteStream(partial, { mode: 0o755 }));
    renameSync(partial, target); // atomic: another process sees no binary or the whole binary
  } finally {
    rmSync(partial, { force: true });
  }
  return target;
}

/** A headless Chromium. Close it in the test's teardown. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumExecutable(), args: ARGS, headless: true });
}

