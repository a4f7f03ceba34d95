// dispatch: per line, whether its first or last bytes may start or end a line-anchored trigger literal, whether it
// needs cleaning (a byte from classify in it), whether it is long.

import { lineFlags } from './lineFlags';

/** Past every special byte. */
const NONE = u32.MAX_VALUE;

/**
 * The lines (index | flags << 28) that have flags, into `out`: 1 may start a line-start literal, 2 may end a
 * line-end literal, 4 needs cleaning (a byte listed at `sp` lies in it), 8 longer than `longLine`. Returns how many.
 */
export function dispatch(nl: u32, count: u32, text: u32, out: u32, sp: u32, spCount: u32, longLine: u32): u32 {
  let n: u32 = 0;
  let s = text;
  let j: u32 = 0;
  let next = spCount ? text + load<u32>(sp) : NONE;
  for (let i: u32 = 0; i < count; i++) {
    const e = text + load<u32>(nl + (i << 2));
    const hit = lineFlags(s, e) | (u32(next < e) << 2) | (u32(e - s > longLine) << 3);
    while (next < e) next = ++j < spCount ? text + load<u32>(sp + (j << 2)) : NONE;
    // Written for every line, kept for those with flags: no branch.
    store<u32>(out + (n << 2), i | (hit << 28));
    n += u32(hit != 0);
    s = e + 1;
  }
  return n;
}
