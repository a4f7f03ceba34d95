// cleanLine (shared/capture.ts) over raw bytes: the scanner cleans the lines that need it into a copy of the output
// before searching it, so a trigger word split by an escape sequence is still found. The result has exactly the
// ASCII bytes cleanLine would leave (non-ASCII bytes pass through), provided the line is short enough that
// cleanLine cuts nothing, and holds no U+009B (bytes C2 9B, a C1 escape once decoded): for such a line the result
// is -1, and the scanner sends it the slow way. (A 0x9b byte after anything else is part of another character or
// invalid, and decodes to no escape.)

const ESC = 0x1b;

/**
 * Writes the cleaned bytes of src[s, e) (one line, without its newline) to dst from `out`; returns the end. Mirrors
 * cleanLine: the text after the last carriage return (a final one dropped), then ANSI sequences removed (CSI
 * `ESC [ params intermediates final`, OSC `ESC ] … BEL|ESC \`, DCS/SOS/PM/APC `ESC P|X|^|_ … ESC \`, two-byte
 * `ESC @–Z|\–_`), then control characters other than tab. Returns -1 for a line with U+009B.
 */
export function cleanLineBytes(src: Uint8Array, s: number, e: number, dst: Uint8Array, out: number): number {
  if (e > s && src[e - 1] === 13) e--;
  for (let j = e - 1; j >= s; j--) {
    if (src[j] === 13) {
      s = j + 1;
      break;
    }
  }
  let i = s;
  while (i < e) {
    const c = src[i];
    if (c === ESC) {
      const n = i + 1 < e ? src[i + 1] : -1;
      if (n === 0x5b) {
        let j = i + 2;
        while (j < e && src[j] >= 0x30 && src[j] <= 0x3f) j++;
        while (j < e && src[j] >= 0x20 && src[j] <= 0x2f) j++;
        // Unfinished: no sequence; the ESC goes as a control character and the rest stays.
        i = j < e && src[j] >= 0x40 && src[j] <= 0x7e ? j + 1 : i + 1;
        continue;
      }
      if (n === 0x5d || n === 0x50 || n === 0x58 || n === 0x5e || n === 0x5f) {
        const osc = n === 0x5d;
        let j = i + 2;
        while (j < e && src[j] !== ESC && !(osc && src[j] === 0x07)) j++;
        if (osc && j < e && src[j] === 0x07) j++;
        else if (j + 1 < e && src[j] === ESC && src[j + 1] === 0x5c) j += 2;
        i = j;
        continue;
      }
      i += (n >= 0x40 && n <= 0x5a) || (n >= 0x5c && n <= 0x5f) ? 2 : 1;
      continue;
    }
    if (c === 0x9b && i > s && src[i - 1] === 0xc2) return -1;
    if (c < 0x20 ? c !== 9 : c === 0x7f) {
      i++;
      continue;
    }
    dst[out++] = c;
    i++;
  }
  return out;
}
