// Counter-based hashing: every synthetic value is a pure function of (seed, stream, counters), so any minute of
// any day can be recomputed without replaying the days before it (historical candles and the live stream agree).

/** Returns a well-mixed 32-bit unsigned integer of the seed and up to four integer counters (murmur3 finaliser). */
export function hash32(seed: number, a: number, b = 0, c = 0, d = 0): number {
  return fold(fold(fold(fold(seed >>> 0, a), b), c), d);
}

function fold(h: number, word: number): number {
  const low = word >>> 0;
  // Counters can exceed 32 bits (second indexes); fold the high part in so that no information is lost.
  const high = Math.floor(word / 4294967296) >>> 0;
  const mixed = mix(h ^ low);
  return high === 0 ? mixed : mix(mixed ^ Math.imul(high, 0x9e3779b1));
}

function mix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Returns a uniform float in [0, 1) derived from the same inputs as hash32. */
export function hashUnit(seed: number, a: number, b = 0, c = 0, d = 0): number {
  return hash32(seed, a, b, c, d) / 4294967296;
}

/** Returns a uniform float in [-1, 1) derived from the same inputs as hash32. */
export function hashSigned(seed: number, a: number, b = 0, c = 0, d = 0): number {
  return hashUnit(seed, a, b, c, d) * 2 - 1;
}

/** Returns a stable 32-bit id of a string (FNV-1a), used to give every instrument its own random stream. */
export function stringId(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
