import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/cli/commands/network.ts';
import { loadNetwork } from '../../../src/network/load.ts';

describe('gongpei network show', () => {
  it('summarizes tiers, hubs, townships and fleet', () => {
    const s = summarize(loadNetwork());
    expect(s.tiers).toEqual({ countyWarehouses: 1, townshipCentres: 10, stations: 224, villages: 218, communities: 6, knownCoordinates: 6 });
    expect(s.townships).toHaveLength(11);
    expect(s.townships.reduce((a, t) => a + t.stations, 0)).toBe(224);
    expect(s.hubs.reduce((a, h) => a + h.stations, 0)).toBe(224);
    expect(s.fleet.map((f) => f.type).sort()).toEqual(['cold_chain_van', 'e_tricycle', 'line_haul_truck', 'van']);
    expect(s.fleet.reduce((a, f) => a + f.count, 0)).toBe(s.vehicles);
  });

  it('prints the same through the real CLI (--json)', () => {
    const out = execFileSync(process.execPath, ['bin/gongpei.js', 'network', 'show', '--json'], { encoding: 'utf8' });
    const s = JSON.parse(out) as ReturnType<typeof summarize>;
    expect(s.tiers.stations).toBe(224);
    expect(s.townships.find((t) => t.name === '定昌镇')).toMatchObject({ villages: 35, communities: 6, hubId: 'county-warehouse' });
  });

  it('prints a readable table with every township and the total', () => {
    const out = execFileSync(process.execPath, ['bin/gongpei.js', 'network', 'show'], { encoding: 'utf8' });
    for (const name of ['定昌镇', '郭村镇', '故县镇', '新店镇', '漳源镇', '册村镇', '沁州黄镇', '南里镇', '松村镇', '牛寺乡', '杨安乡']) {
      expect(out).toContain(name);
    }
    expect(out).toContain('total stations: 224');
    expect(out).toContain('218 villages + 6 communities');
    expect(out).toMatch(/line_haul_truck\s+2\s+1500\s+14/);
  });
});
