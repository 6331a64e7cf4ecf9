/**
 * Time-ordered UUIDs (RFC 9562 version 7) for parcel, event and pickup ids. Random v4 ids land
 * on random B-tree pages, so a batch of 100 parcels dirties hundreds of index pages that the
 * commit must write; v7 ids of the same moment sit next to each other and share a few pages.
 * Within one millisecond a counter keeps them strictly increasing in this process.
 */
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(16 * 256);
let poolOffset = pool.length;
let lastMs = -1;
let counter = 0;

function randomBytes16(): Buffer {
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const b = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return b;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function uuid7(now: number = Date.now()): string {
  const r = randomBytes16();
  if (now > lastMs) {
    lastMs = now;
    counter = r[6]! & 0x07; // random start, room to count up within the millisecond
  } else {
    now = lastMs; // clock went back or same ms: keep order
    counter += 1;
    if (counter > 0xfff) {
      lastMs += 1;
      now = lastMs;
      counter = 0;
    }
  }
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (r[8]! & 0x3f);
  for (let i = 9; i < 16; i++) b[i] = r[i]!;
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += HEX[b[i]!]!;
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}
