// Whether a line's first or last bytes may start or end a line-anchored trigger literal, by the dispatch tables
// (see KernelTables in lineKernel.ts). The hashes are those of lineKernel.ts.

import { T_PRE1, T_SUF1 } from '../kernelLayout';

// @ts-ignore: decorator
@inline
function bit(table: u32, h: u32): u32 {
  return load<u8>(table + (h >> 3)) >> (h & 7);
}

/**
 * 1 when table `one` says so for the byte at `at`: always (1), or when the hash3 of the bytes at `base3` (2) or the
 * hash8 of those at `base8` (3) has its bit. len3 and len8 say the line is long enough (branch-free: the hashes are
 * taken either way).
 */
// @ts-ignore: decorator
@inline
function tableHit(one: u32, at: u32, base3: u32, base8: u32, len3: u32, len8: u32): u32 {
  const t = load<u8>(one + load<u8>(at));
  const h3 = (<u32>load<u8>(base3)) ^ ((<u32>load<u8>(base3, 1)) << 4) ^ ((<u32>load<u8>(base3, 2)) << 8);
  const h8 = ((load<u32>(base8) ^ (load<u32>(base8, 4) * 0x85ebca6b)) * 0x9e3779b1) >> 16;
  return u32(t == 1) | (bit(one + 256, h3) & u32(t == 2) & len3) | (bit(one + 256 + 8192, h8) & u32(t == 3) & len8);
}

/** pre | suf << 1 for the line [s, e) (the bytes read past a short line only add candidates). */
// @ts-ignore: decorator
@inline
export function lineFlags(s: u32, e: u32): u32 {
  const len3 = u32(e - s >= 3);
  const len8 = u32(e - s >= 8);
  return tableHit(T_PRE1, s, s, s, len3, len8) | (tableHit(T_SUF1, e - 1, e - 3, e - 8, len3, len8) << 1);
}
