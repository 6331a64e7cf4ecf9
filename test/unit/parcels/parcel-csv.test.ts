import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.ts';
import { parseParcelCsv } from '../../../src/parcels/parcel.csv.ts';

const header = 'waybill,stationCode,weightG,lengthCm,widthCm,heightCm,coldChain,recipientName,recipientPhone,promisedDate';

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('parseParcelCsv', () => {
  it('turns rows into CreateParcel inputs with their line numbers', () => {
    const csv = `${header}\nZT0001,140430106201,1200,30,20,15,yes,张三,13800001234,2026-12-01\n\nZT0002,140430106201,500,,,,,李四,13800005678,\n`;
    const { parcels, lines } = parseParcelCsv(csv);
    expect(lines).toEqual([2, 4]);
    expect(parcels[0]).toMatchObject({ waybill: 'ZT0001', weightG: 1200, dimensionsCm: [30, 20, 15], coldChain: true, recipient: { name: '张三' } });
    expect(parcels[1]).toMatchObject({ waybill: 'ZT0002', coldChain: false, destination: { stationCode: '140430106201' } });
    expect(parcels[1]!.dimensionsCm).toBeUndefined();
  });

  it('reports every bad row by line and column', () => {
    const csv = `${header}\nZT0001,140430106201,heavy,,,,,张三,13800001234,\nZT0002,140430106201,500,,,,,李四,not-a-phone,\nZT0003,140430106201,500,,,,,王五,13800001234,\n`;
    const e = errorOf(() => parseParcelCsv(csv));
    expect(e.type).toBe('invalid_data');
    const details = e.details as { path: string; line: number }[];
    expect(details.map((d) => [d.line, d.path])).toEqual([
      [2, 'line 2.weightG'],
      [3, 'line 3.recipientPhone'],
    ]);
  });

  it('rejects unknown and missing columns in the header', () => {
    const e = errorOf(() => parseParcelCsv('waybill,colour\nZT1,red\n'));
    const paths = (e.details as { path: string }[]).map((d) => d.path);
    expect(paths).toContain('line 1.colour');
    expect(paths).toContain('line 1.weightG');
  });

  it('reports malformed CSV with the line', () => {
    const e = errorOf(() => parseParcelCsv(`${header}\nZT0001,140430106201,1200\n`));
    expect(e.type).toBe('invalid_data');
    expect((e.details as { line?: number }[])[0]!.line).toBe(2);
  });
});
