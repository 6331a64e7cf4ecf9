/**
 * /openapi.json, as the running app serves it, passes Redocly's and Spectral's recommended
 * rules with no error and no warning. Redocly runs as its CLI on a file this test writes (its
 * rules are not a library of their own), with telemetry and the update check off: no network.
 * Spectral runs in process with its `spectral:oas` ruleset.
 *
 * Each linter is also shown a copy with one operation's operationId removed, and must object:
 * a linter that loaded no rules would pass everything.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import spectralCore, { type ISpectralDiagnostic, type RulesetDefinition } from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../src/db/test-database.ts';
import { createDestinationResolver } from '../../../src/geo/destination-resolver.ts';
import { TEST_SETTINGS } from '../../support/config.ts';
import { BOUNDARY } from '../http/helpers.ts';

const run = promisify(execFile);
const REDOCLY_CLI = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');

interface RedoclyReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

async function redoclyLint(file: string, home: string): Promise<RedoclyReport> {
  // A clean environment: no telemetry, no update check, nothing from the caller's.
  const env = { HOME: home, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
  const result = await run(process.execPath, [REDOCLY_CLI, 'lint', '--extends=recommended', '--format=json', file], { env, maxBuffer: 16 * 1024 * 1024 }).catch(
    // Exit code 1 means "problems found"; the report is still on stdout.
    (e: { stdout?: string; code?: number }) => {
      if (e.code === 1 && e.stdout) return { stdout: e.stdout };
      throw e;
    },
  );
  return JSON.parse(result.stdout) as RedoclyReport;
}

let spectral: InstanceType<typeof spectralCore.Spectral> | undefined;

async function spectralLint(text: string): Promise<ISpectralDiagnostic[]> {
  if (spectral === undefined) {
    spectral = new spectralCore.Spectral();
    spectral.setRuleset({ extends: [[oas as RulesetDefinition, 'recommended']] });
  }
  return spectral.run(new spectralCore.Document(text, spectralParsers.Json, 'openapi.json'));
}

const show = (problems: readonly { code?: string | number; ruleId?: string; message: string }[]) => problems.map((p) => `${p.ruleId ?? p.code}: ${p.message}`);

describe('/openapi.json and the recommended lint rules', () => {
  let tdb: TestDatabase;
  let server: Server;
  let dir: string;
  let text: string;

  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    const app = createApp({ db: tdb.db, resolveDestination: createDestinationResolver({ townships: [], stations: [], boundary: BOUNDARY }), settings: TEST_SETTINGS });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.json`);
    expect(res.status).toBe(200);
    text = JSON.stringify(await res.json(), null, 2);
    dir = mkdtempSync(join(tmpdir(), 'gongpei-openapi-lint-'));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await tdb?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The served document with the first operation's operationId taken out. */
  function withoutAnOperationId(): string {
    const doc = JSON.parse(text) as { paths: Record<string, Record<string, { operationId?: string }>> };
    const first = Object.values(Object.values(doc.paths)[0]!)[0]!;
    delete first.operationId;
    return JSON.stringify(doc);
  }

  it('passes Redocly’s recommended rules with no error and no warning', async () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, text);
    const report = await redoclyLint(file, dir);
    expect(show(report.problems)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, withoutAnOperationId());
    expect((await redoclyLint(broken, dir)).problems.map((p) => p.ruleId)).toContain('operation-operationId');
  });

  it('passes Spectral’s recommended spectral:oas rules with no error and no warning', async () => {
    expect(show(await spectralLint(text))).toEqual([]);
    expect((await spectralLint(withoutAnOperationId())).map((p) => p.code)).toContain('operation-operationId');
  });
});
