/** The README's module map names every folder under src/ (one line each, with its role). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;

/** One letter added, removed or changed (solve ~ solver, plan ~ plans). */
function oneLetterApart(a: string, b: string): boolean {
  if (a.length === b.length) return [...a].filter((c, i) => c !== b[i]).length === 1;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (long.length - short.length !== 1) return false;
  for (let i = 0; i < long.length; i++) if (long.slice(0, i) + long.slice(i + 1) === short) return true;
  return false;
}

describe('README module map', () => {
  it('lists every folder under src/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const folders = readdirSync(join(ROOT, 'src')).filter((name) => statSync(join(ROOT, 'src', name)).isDirectory());
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((name) => !readme.includes(`\`src/${name}/\``))).toEqual([]);
  });

  it('has no two folders under src/ that differ by a letter', () => {
    expect([oneLetterApart('solve', 'solver'), oneLetterApart('plan', 'plans'), oneLetterApart('planning', 'plans')]).toEqual([true, true, false]);
    const folders = readdirSync(join(ROOT, 'src')).filter((name) => statSync(join(ROOT, 'src', name)).isDirectory());
    const pairs = folders.flatMap((a, i) => folders.slice(i + 1).filter((b) => oneLetterApart(a, b)).map((b) => `${a} ~ ${b}`));
    expect(pairs).toEqual([]);
  });
});
