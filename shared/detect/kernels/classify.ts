// classify: the newlines of a text, and the bytes that make a line need cleaning first (a control character but tab,
// ESC and CR among them, 0x7f or 0x9b), 16 bytes a step (it reads up to 15 bytes past the text: padding).

import { M_SPECIAL } from '../kernelLayout';

/** Appends the offset (from `base`) of each set bit of `mask`, lowest first, to the list at `list` of `n`. */
// @ts-ignore: decorator
@inline
function offsets(mask: u32, base: u32, list: u32, n: u32): u32 {
  while (mask) {
    store<u32>(list + (n << 2), base + ctz(mask));
    n++;
    mask &= mask - 1;
  }
  return n;
}

/** Newline offsets into `nlOut`, those of bytes that need cleaning into `spOut`; returns the newlines. */
export function classify(text: u32, len: u32, nlOut: u32, spOut: u32): u32 {
  let k: u32 = 0;
  let spc: u32 = 0;
  const stop = text + len;
  let p = text;
  // A do-while: one branch a step, measurably faster here than a for loop.
  if (p < stop)
    do {
      const v = v128.load(p);
      const nlm = <u32>i8x16.bitmask(i8x16.eq(v, i8x16.splat(10)));
      // Bytes below 0x20 (tab and newline among them), 0x7f and 0x9b, without the newlines…
      const delCsi = v128.or(i8x16.eq(v, i8x16.splat(0x7f)), i8x16.eq(v, i8x16.splat(<i8>0x9b)));
      let spm = (<u32>i8x16.bitmask(v128.or(i8x16.lt_u(v, i8x16.splat(0x20)), delCsi))) ^ nlm;
      if (spm) {
        // … and without the tabs.
        spm &= ~(<u32>i8x16.bitmask(i8x16.eq(v, i8x16.splat(9))));
        spc = offsets(spm, p - text, spOut, spc);
      }
      k = offsets(nlm, p - text, nlOut, k);
    } while ((p += 16) < stop);
  store<u32>(M_SPECIAL, spc);
  return k;
}
