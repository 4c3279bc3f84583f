/**
 * Deterministic randomness for the simulator: every id, duration and fault draw comes from
 * the seed, so the same requests against the same seed give the same account, byte for byte.
 */

/** A source of numbers in [0, 1), like `Math.random`, but reproducible. */
export type RandomSource = () => number;

/** Mixes two 32-bit integers into one well-spread 32-bit integer (murmur3 finaliser). */
function mix(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be59b, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** A mulberry32 generator started from `seed` and any number of extra integers. */
export function createRandom(seed: number, ...salt: number[]): RandomSource {
  let state = mix(seed | 0, 0x1234567);
  for (const s of salt) state = mix(state, s | 0);
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` lowercase hex digits derived from the seed and a counter (ids such as `i-0abc…`). */
export function hexFrom(seed: number, counter: number, length: number): string {
  let out = '';
  let round = 0;
  while (out.length < length) {
    out += mix(mix(seed | 0, counter), round)
      .toString(16)
      .padStart(8, '0');
    round += 1;
  }
  return out.slice(0, length);
}

/** A UUID-shaped request id derived from the seed and a counter. */
export function requestIdFrom(seed: number, counter: number): string {
  const h = hexFrom(seed ^ 0x5eed, counter, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
