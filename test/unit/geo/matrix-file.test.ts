import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MatrixFileError, matrixFileSource, matrixFromFile, parseMatrixFile } from '../../../src/geo/matrix-file.ts';
import { roadMatrixProvider, UNREACHABLE } from '../../../src/geo/matrix.ts';

const hub = { lat: 36.75, lon: 112.69, id: 'hub-dingchang' };
const a = { lat: 36.76, lon: 112.7, id: '140430100201' };
const b = { lat: 36.77, lon: 112.71, id: '140430100202' };

const CSV = ['from,to,distance_m,duration_s', 'hub-dingchang,140430100201,1200,150', 'hub-dingchang,140430100202,2500,300', '140430100201,hub-dingchang,1300,160', '140430100201,140430100202,1400,170', '140430100202,hub-dingchang,2600,310', '140430100202,140430100201,,'].join('\n');

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MatrixFileError);
    return (err as Error).message;
  }
  throw new Error('expected a MatrixFileError');
}

describe('matrix file (MATRIX_PROVIDER=file)', () => {
  it('CSV: one row per ordered pair; the matrix follows the order of the points asked for; empty = no road', () => {
    const data = parseMatrixFile('m.csv', CSV);
    const m = matrixFromFile(data, [a, hub, b]);
    // rows/cols: a, hub, b
    expect([...m.distance]).toEqual([0, 1300, 1400, 1200, 0, 2500, UNREACHABLE, 2600, 0]);
    expect([...m.duration!]).toEqual([0, 160, 170, 150, 0, 300, UNREACHABLE, 310, 0]);
  });

  it('JSON: ids with OSRM-style distances and durations; null = no road', () => {
    const json = JSON.stringify({ ids: ['hub-dingchang', '140430100201'], distances: [[0, 1200], [1300.4, 0]], durations: [[0, 150], [160, 0]] });
    const m = matrixFromFile(parseMatrixFile('m.json', json), [hub, a]);
    expect([...m.distance]).toEqual([0, 1200, 1300, 0]);
    expect([...m.duration!]).toEqual([0, 150, 160, 0]);
    const noDurations = matrixFromFile(parseMatrixFile('m.json', JSON.stringify({ ids: ['x', 'y'], distances: [[0, null], [5, 0]] })), [{ lat: 0, lon: 0, id: 'y' }, { lat: 0, lon: 0, id: 'x' }]);
    expect([...noDurations.distance]).toEqual([0, 5, UNREACHABLE, 0]);
    expect(noDurations.duration).toBeUndefined();
  });

  it('names the file, row and field of a bad value', () => {
    expect(errorOf(() => parseMatrixFile('m.csv', 'from,to,distance_m\nA,B,12km'))).toBe('m.csv:2: distance_m: expected whole metres ≥ 0 (or empty/null for no road), got "12km"');
    expect(errorOf(() => parseMatrixFile('m.csv', 'from,to,distance_m,duration_s\nA,B,1,2\nA,,3,4'))).toBe('m.csv:3: to: required (a station code or hub id)');
    expect(errorOf(() => parseMatrixFile('m.csv', 'from,to,distance_m,duration_s\nA,B,1,2\nA,B,3,4'))).toBe('m.csv:3: from,to: the pair A → B appears twice');
    expect(errorOf(() => parseMatrixFile('m.csv', 'from,to,distance_m,duration_s\nA,B,1,'))).toBe('m.csv:2: duration_s: required when distance_m is given');
    expect(errorOf(() => parseMatrixFile('m.csv', 'from,to,metres\nA,B,1'))).toMatch(/^m\.csv:1: missing column distance_m/);
    expect(errorOf(() => parseMatrixFile('m.csv', 'from,to,distance_m\nA,B,-5'))).toMatch(/^m\.csv:2: distance_m: expected whole metres ≥ 0/);
    expect(errorOf(() => parseMatrixFile('m.json', '{"ids":["A","B"],"distances":[[0,1],[2]]}'))).toBe('m.json: distances[1]: expected 2 values (one per id), got 1');
    expect(errorOf(() => parseMatrixFile('m.json', '{"ids":["A","B"],"distances":[[0,1],[2,0]],"durations":[[0,"x"],[2,0]]}'))).toMatch(/^m\.json: durations\[0\]\[1\] \(A → B\): expected whole seconds/);
    expect(errorOf(() => parseMatrixFile('m.json', '{"ids":["A","A"],"distances":[[0,1],[2,0]]}'))).toBe('m.json: ids: A appears twice');
    expect(errorOf(() => parseMatrixFile('m.json', '{"ids":'))).toMatch(/^m\.json: not valid JSON/);
  });

  it('a location the file lacks fails naming the missing pair', () => {
    const data = parseMatrixFile('m.csv', CSV);
    expect(errorOf(() => matrixFromFile(data, [a, { lat: 1, lon: 1, id: '140430100299' }]))).toBe('m.csv: no row from 140430100201 to 140430100299 (every ordered pair of the network\'s locations is needed)');
  });

  it('roadMatrixProvider reads MATRIX_FILE at start-up: a missing or bad file stops it with the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'matrix-file-'));
    const good = join(dir, 'roads.csv');
    writeFileSync(good, CSV);
    const provider = await roadMatrixProvider({ MATRIX_PROVIDER: 'file', MATRIX_FILE: good, DETOUR_FACTOR: 1.3 });
    expect(provider.name).toBe('file');
    expect([...(await provider.source([hub, a])).distance]).toEqual([0, 1200, 1300, 0]);
    await expect(matrixFileSource(join(dir, 'none.csv'))).rejects.toThrow(/^MATRIX_FILE .*none\.csv: cannot be read \(ENOENT\)/);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'from,to,distance_m\nA,B,x');
    await expect(roadMatrixProvider({ MATRIX_PROVIDER: 'file', MATRIX_FILE: bad, DETOUR_FACTOR: 1.3 })).rejects.toThrow(`${bad}:2: distance_m`);
  });
});
