// clean: a copy of the window with the lines that need it cleaned as cleanLine would.

import { M_FORCED } from '../kernelLayout';
import { cleanLine, UNCLEAN } from './cleanLine';
import { lineFlags } from './lineFlags';

/**
 * Copies raw[from, until) to `to` and gives the lines [next, upto) in it their clean newline offsets (relative to
 * `clean`); returns the end of the copy.
 */
// @ts-ignore: decorator
@inline
function copyRun(
  raw: u32,
  clean: u32,
  nlRaw: u32,
  nlClean: u32,
  from: u32,
  until: u32,
  to: u32,
  next: u32,
  upto: u32,
): u32 {
  memory.copy(to, raw + from, until - from);
  const shift = to - clean - from;
  for (; next < upto; next++) store<u32>(nlClean + (next << 2), load<u32>(nlRaw + (next << 2)) + shift);
  return to + until - from;
}

/**
 * Copies the raw window into the clean area with the lines that need it (the `n` dispatch entries at `out` flagged
 * 4) cleaned, and the clean newline offsets into nlClean; such an entry gets the flags 1 and 2 of its cleaned line.
 * Lines it cannot clean (longer than `longLine`, or with U+009B) are left empty, get no flags, and are listed at
 * `forced`. Returns the clean length.
 */
export function clean(
  raw: u32,
  clean: u32,
  nlRaw: u32,
  nlClean: u32,
  out: u32,
  n: u32,
  count: u32,
  len: u32,
  longLine: u32,
  forced: u32,
): u32 {
  let to = clean;
  let from: u32 = 0;
  let next: u32 = 0;
  let unclean: u32 = 0;
  for (let j: u32 = 0; j < n; j++) {
    const entry = load<u32>(out + (j << 2));
    if (!(entry & (4 << 28))) continue;
    const line = entry & 0x0fffffff;
    const s = line ? load<u32>(nlRaw + ((line - 1) << 2)) + 1 : 0;
    const e = load<u32>(nlRaw + (line << 2));
    to = copyRun(raw, clean, nlRaw, nlClean, from, s, to, next, line);
    const end = e - s > longLine ? UNCLEAN : cleanLine(raw + s, raw + e, to);
    // Its entry: whether its cleaned start or end may hold a literal (none for one it could not clean).
    let flags: u32 = 0;
    if (end == UNCLEAN) store<u32>(forced + (unclean++ << 2), line);
    else {
      flags = lineFlags(to, end);
      to = end;
    }
    store<u32>(out + (j << 2), line | (flags << 28));
    store<u32>(nlClean + (line << 2), to - clean);
    store<u8>(to++, 10);
    from = e + 1;
    next = line + 1;
  }
  to = copyRun(raw, clean, nlRaw, nlClean, from, len, to, next, count);
  store<u32>(M_FORCED, unclean);
  return to - clean;
}
