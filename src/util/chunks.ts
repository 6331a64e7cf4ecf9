/** `list` in consecutive slices of at most `size` (bounded IN lists and multi-row INSERTs). */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
