import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clockToSeconds, DEFAULT_NETWORK_DIR, loadNetwork } from '../../../src/network/load.ts';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function copyWith(edit: (network: Record<string, unknown>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'gongpei-network-'));
  dirs.push(dir);
  cpSync(DEFAULT_NETWORK_DIR, dir, { recursive: true });
  const file = join(dir, 'network.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(file, JSON.stringify(json));
  return dir;
}

describe('loadNetwork', () => {
  it('returns the same object on a second call (read once per process)', () => {
    expect(loadNetwork()).toBe(loadNetwork());
  });

  it('rejects a file with a malformed station code, naming the field', () => {
    const dir = copyWith((n) => {
      (n.stations as { code: string }[])[0]!.code = '1404301';
    });
    expect(() => loadNetwork(dir)).toThrow(/stations\.0\.code/);
  });

  it('rejects a station linked to a hub that does not exist', () => {
    const dir = copyWith((n) => {
      (n.stations as { hubId: string }[])[5]!.hubId = 'nowhere';
    });
    expect(() => loadNetwork(dir)).toThrow(/unknown hub nowhere/);
  });

  it('rejects duplicate station codes', () => {
    const dir = copyWith((n) => {
      const s = n.stations as { code: string }[];
      s[1]!.code = s[0]!.code;
    });
    expect(() => loadNetwork(dir)).toThrow(/duplicate station code/);
  });

  it('reports a missing dataset as a user-facing error', () => {
    expect(() => loadNetwork(join(tmpdir(), 'no-such-network'))).toThrow(expect.objectContaining({ userFacing: true }));
  });
});

describe('clockToSeconds', () => {
  it('converts HH:MM to seconds after midnight', () => {
    expect(clockToSeconds('08:00')).toBe(28_800);
    expect(clockToSeconds('19:30')).toBe(70_200);
  });
});
