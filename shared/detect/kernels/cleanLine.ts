// cleanLine (shared/capture.ts) over the raw bytes of one line, as cleanLineBytes in cleanBytes.ts (which says why
// a line with U+009B is left to the slow way).

/** The result for a line that cannot be cleaned here. */
export const UNCLEAN = u32.MAX_VALUE;

// @ts-ignore: decorator
@inline
function inRange(c: u32, from: u32, to: u32): bool {
  return c - from <= to - from;
}

/**
 * Writes the cleaned bytes of [s, e) (one line, without its newline) from `w`; returns the end, or UNCLEAN for a line
 * with U+009B (C2 9B).
 */
export function cleanLine(s: u32, e: u32, w: u32): u32 {
  // The text after the last carriage return (a final one dropped).
  if (e > s && load<u8>(e - 1) == 13) e--;
  for (let k = e; k > s;) {
    if (load<u8>(--k) == 13) {
      s = k + 1;
      break;
    }
  }
  let i = s;
  while (i < e) {
    const c = <u32>load<u8>(i);
    if (c == 0x1b) {
      // The byte after ESC, or 256 at the end of the line.
      const nb: u32 = i + 1 < e ? load<u8>(i, 1) : 256;
      if (nb == 0x5b) {
        // CSI: parameters 0x30–0x3f, intermediates 0x20–0x2f, a final 0x40–0x7e; else only the ESC goes.
        let k = i + 2;
        while (k < e && inRange(load<u8>(k), 0x30, 0x3f)) k++;
        while (k < e && inRange(load<u8>(k), 0x20, 0x2f)) k++;
        i = k < e && inRange(load<u8>(k), 0x40, 0x7e) ? k + 1 : i + 1;
      } else if (nb == 0x5d || nb == 0x50 || nb == 0x58 || nb == 0x5e || nb == 0x5f) {
        // OSC up to BEL or ESC \; DCS, SOS, PM, APC up to ESC \ (or the end of the line).
        const osc = nb == 0x5d;
        let k = i + 2;
        while (k < e && load<u8>(k) != 0x1b && !(osc && load<u8>(k) == 7)) k++;
        if (osc && k < e && load<u8>(k) == 7) k++;
        else if (k + 1 < e && load<u8>(k) == 0x1b && load<u8>(k, 1) == 0x5c) k += 2;
        i = k;
      } else {
        // ESC and one byte of @–Z or \–_; else only the ESC goes.
        i += inRange(nb, 0x40, 0x5a) || inRange(nb, 0x5c, 0x5f) ? 2 : 1;
      }
    } else if (c == 0x9b && i > s && load<u8>(i - 1) == 0xc2) {
      // U+009B: only the decoded line tells what it strips.
      return UNCLEAN;
    } else {
      // Control characters other than tab go.
      if (!((c < 0x20 && c != 9) || c == 0x7f)) store<u8>(w++, c);
      i++;
    }
  }
  return w;
}
