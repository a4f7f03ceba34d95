// Capture: turns raw command output into clean lines (an OutputRecord's text), streaming.
import { StringDecoder } from 'node:string_decoder';

export type OutputSource = 'terminal' | 'task' | 'ci' | 'file' | 'backfill' | 'stdin' | 'diagnostics';

export interface OutputRecord {
  source: OutputSource;
  commandLine?: string;
  cwd?: string;
  exitCode?: number;
  startedAt: string;
  endedAt: string;
  text: string;
}

/** Longest line kept; longer lines are cut and marked so one huge line cannot exhaust memory. */
export const MAX_LINE_BYTES = 64 * 1024;
export const TRUNCATION_MARKER = ' …[truncated by heal]';

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), other two-byte ESC sequences, and C1 CSI.
// Each alternative consumes a bounded character class, so matching is linear.
const ANSI =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]/g;

/** Removes ANSI/OSC escapes and stray control characters (keeps tab). */
export function stripAnsi(text: string): string {
  if (text.indexOf('\x1b') === -1 && text.indexOf('\x9b') === -1 && !/[\x00-\x08\x0b-\x1f\x7f]/.test(text)) return text;
  return text.replace(ANSI, '').replace(/[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]/g, '');
}

/** Applies carriage-return semantics the way a terminal shows the line: the text after the last bare CR wins. */
function applyCarriageReturns(line: string): string {
  if (line.endsWith('\r')) line = line.slice(0, -1);
  const cr = line.lastIndexOf('\r');
  return cr === -1 ? line : line.slice(cr + 1);
}

/** Cleans one raw line: escapes stripped, CR handled, length bounded. */
export function cleanLine(raw: string): string {
  let line = applyCarriageReturns(raw);
  if (line.length > MAX_LINE_BYTES) line = line.slice(0, MAX_LINE_BYTES);
  line = stripAnsi(line);
  if (Buffer.byteLength(line) > MAX_LINE_BYTES) line = line.slice(0, MAX_LINE_BYTES / 4);
  return line;
}

/** Normalises a whole captured text (for in-memory records such as terminal captures). */
export function normalizeText(text: string): string {
  return splitLines(text).join('\n');
}

/** Splits text into clean lines (CRLF/CR normalised, escapes stripped, long lines truncated with a marker). */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start <= text.length) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    if (nl - start > MAX_LINE_BYTES) {
      out.push(cleanLine(text.slice(start, start + MAX_LINE_BYTES)) + TRUNCATION_MARKER);
    } else {
      out.push(cleanLine(text.slice(start, nl)));
    }
    start = nl + 1;
  }
  if (out.length > 0 && out[out.length - 1] === '' && text.endsWith('\n')) out.pop();
  return out;
}

/**
 * Streams raw bytes into text chunks that always end on a line boundary, with invalid UTF-8 replaced and
 * over-long lines cut. Memory stays bounded by the chunk size plus one line (≤ 64 KiB).
 */
export async function* readChunks(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let skippingLongLine = false;
  for await (const piece of input) {
    let text = carry + (typeof piece === 'string' ? piece : decoder.write(piece));
    carry = '';
    if (skippingLongLine) {
      const nl = text.indexOf('\n');
      if (nl === -1) continue;
      text = text.slice(nl + 1);
      skippingLongLine = false;
    }
    const lastNl = text.lastIndexOf('\n');
    let body = lastNl === -1 ? '' : text.slice(0, lastNl + 1);
    let rest = lastNl === -1 ? text : text.slice(lastNl + 1);
    if (rest.length > MAX_LINE_BYTES) {
      body += rest.slice(0, MAX_LINE_BYTES) + TRUNCATION_MARKER + '\n';
      rest = '';
      skippingLongLine = true;
    }
    carry = rest;
    if (body) yield body;
  }
  const tail = carry + decoder.end();
  if (tail && !skippingLongLine)
    yield tail.length > MAX_LINE_BYTES ? tail.slice(0, MAX_LINE_BYTES) + TRUNCATION_MARKER : tail;
}
