/**
 * Config is the only reader of the environment: every module of the service and of its tools
 * (tests, benchmarks, scripts) gets its settings from src/config.ts, parsed and validated there.
 * Tests and tools give a child process its environment with `environmentWith(...)` and set the
 * test process's own variables in vitest.config.ts only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../..', import.meta.url).pathname;
const SCANNED = ['src', 'workers', 'bin', 'bench', 'scripts', 'test'];
const SKIPPED_DIRS = new Set(['node_modules']);
const CONFIG_MODULE = 'src/config.ts';

// Written without the words themselves, so this file does not match its own patterns.
const PROC = 'process';
const READS = [
  new RegExp(`\\b${PROC}\\s*\\.\\s*env\\b`), // the usual access
  new RegExp(`\\b${PROC}\\s*\\[\\s*['"\`]env['"\`]\\s*\\]`), // bracket access
  new RegExp(`\\{[^}]*\\benv\\b[^}]*\\}\\s*=\\s*${PROC}\\b`), // destructuring
  new RegExp(`from\\s+['"](node:)?${PROC}['"]`), // the env export of the module itself
];

function readsEnvironment(source: string): boolean {
  return READS.some((re) => re.test(source));
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIPPED_DIRS.has(name)) out.push(...sourceFiles(path));
    } else if (/\.(ts|mts|js|mjs|cjs)$/.test(name)) {
      out.push(path);
    }
  }
  return out;
}

describe('config is the only reader of the environment', () => {
  it('recognises each way of reading it', () => {
    const p = PROC;
    expect(readsEnvironment(`const x = ${p}.env.PORT;`)).toBe(true);
    expect(readsEnvironment(`const x = ${p} . env ['PORT'];`)).toBe(true);
    expect(readsEnvironment(`const x = ${p}['env'].PORT;`)).toBe(true);
    expect(readsEnvironment(`const { env, argv } = ${p};`)).toBe(true);
    expect(readsEnvironment(`import { env } from 'node:${p}';`)).toBe(true);
    expect(readsEnvironment(`${p}.exit(1); ${p}.stdout.write('environment');`)).toBe(false);
  });

  it(`no module but ${CONFIG_MODULE} reads it (${SCANNED.join(', ')})`, () => {
    const files = SCANNED.flatMap((d) => sourceFiles(join(ROOT, d))).map((f) => relative(ROOT, f));
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain(CONFIG_MODULE);
    const readers = files.filter((f) => f !== CONFIG_MODULE && readsEnvironment(readFileSync(join(ROOT, f), 'utf8')));
    expect(readers).toEqual([]);
  });
});

describe('the time zone comes from config', () => {
  // A fixed offset in code (a default `utcOffsetMinutes = 480`, a literal `…T00:00:00+08:00`)
  // would put one module on another clock than TIMEZONE says.
  const FIXED_OFFSET = [/utcOffsetMinutes\s*[=:]\s*-?\d/, /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?[+-]\d{2}:\d{2}/];
  it('recognises a fixed offset', () => {
    expect(FIXED_OFFSET.some((re) => re.test('function f(utcOffsetMinutes = 480) {}'))).toBe(true);
    expect(FIXED_OFFSET.some((re) => re.test('Date.parse(`${d}T00:00:00+08:00`)'))).toBe(true);
    expect(FIXED_OFFSET.some((re) => re.test('utcOffsetMinutes: deps.settings.utcOffsetMinutes'))).toBe(false);
  });

  it('no module of the service, its pages or its tools fixes one (src, workers, bench, scripts)', () => {
    const files = ['src', 'workers', 'bench', 'scripts'].flatMap((d) => sourceFiles(join(ROOT, d))).map((f) => relative(ROOT, f));
    const fixed = files.filter((f) => f !== CONFIG_MODULE && FIXED_OFFSET.some((re) => re.test(readFileSync(join(ROOT, f), 'utf8'))));
    expect(fixed).toEqual([]);
  });
});
