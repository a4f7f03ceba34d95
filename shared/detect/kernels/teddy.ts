// teddy: the places where a trigger literal may be, by four of its bytes (the "Teddy" fingerprint filter): each
// byte looked up by its two nibbles in 16-entry tables of bucket bits, then a hash of the four bytes checked against
// the fingerprints'. 16 positions a step.

import { SCRATCH, T_PRINTS, T_TEDDY } from '../kernelLayout';

/** The bucket bits each byte of `a` may belong to, by its low and high nibble. */
// @ts-ignore: decorator
@inline
function buckets(a: v128, lo: v128, hi: v128): v128 {
  const nib = i8x16.splat(0x0f);
  return v128.and(i8x16.swizzle(lo, v128.and(a, nib)), i8x16.swizzle(hi, v128.and(i16x8.shr_u(a, 4), nib)));
}

/** Whether the four bytes at `at` hash to a fingerprint's bit. */
// @ts-ignore: decorator
@inline
function printed(at: u32): u32 {
  const h = (load<u32>(at) * 0x9e3779b1) >> 16;
  return (load<u8>(T_PRINTS + (h >> 3)) >> (h & 7)) & 1;
}

/**
 * Offsets where a fingerprint may be (offset | bucket bits << 24; the last may lie up to 15 bytes past the text),
 * into `out`; returns how many.
 */
export function teddy(text: u32, len: u32, out: u32): u32 {
  const lo0 = v128.load(T_TEDDY, 0);
  const hi0 = v128.load(T_TEDDY, 16);
  const lo1 = v128.load(T_TEDDY, 32);
  const hi1 = v128.load(T_TEDDY, 48);
  const lo2 = v128.load(T_TEDDY, 64);
  const hi2 = v128.load(T_TEDDY, 80);
  const lo3 = v128.load(T_TEDDY, 96);
  const hi3 = v128.load(T_TEDDY, 112);
  // The buckets whose fingerprints are shorter than four bytes.
  const short = <u32>load<u8>(T_TEDDY, 128);
  let n: u32 = 0;
  for (let p = text, stop = text + len; p < stop; p += 16) {
    const r = v128.and(
      v128.and(buckets(v128.load(p), lo0, hi0), buckets(v128.load(p, 1), lo1, hi1)),
      v128.and(buckets(v128.load(p, 2), lo2, hi2), buckets(v128.load(p, 3), lo3, hi3)),
    );
    let mask = (<u32>i8x16.bitmask(i8x16.eq(r, i8x16.splat(0)))) ^ 0xffff;
    if (!mask) continue;
    v128.store(SCRATCH, r);
    while (mask) {
      const b = ctz(mask);
      const bits = <u32>load<u8>(SCRATCH + b);
      // Kept if a short-fingerprint bucket is among them, or by its fingerprint.
      if (bits & short || printed(p + b)) {
        store<u32>(out + (n << 2), (p + b - text) | (bits << 24));
        n++;
      }
      mask &= mask - 1;
    }
  }
  return n;
}
