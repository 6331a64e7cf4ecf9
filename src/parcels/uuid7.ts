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

/** Lower-case hex digits as char codes. */
const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** The 16 bytes of the id being made, then its 36 characters (reused: one string per id). */
const bytes = new Uint8Array(16);
const text = Buffer.alloc(36);

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
  // 48-bit big-endian milliseconds (exact in a double: below 2^53).
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (r[8]! & 0x3f);
  for (let i = 9; i < 16; i++) bytes[i] = r[i]!;
  // Hex into a reused buffer and one latin1 string out: building the string with += made ~20
  // intermediate strings per id (two ids per accepted parcel).
  let j = 0;
  for (let i = 0; i < 16; i++) {
    const v = bytes[i]!;
    text[j++] = HEX_DIGITS[v >> 4]!;
    text[j++] = HEX_DIGITS[v & 0x0f]!;
    if (i === 3 || i === 5 || i === 7 || i === 9) text[j++] = 0x2d; // '-'
  }
  return text.toString('latin1', 0, 36);
}
