// Scanner: drives all detectors over streamed output in linear time and bounded memory.
//
// Bytes are searched as a latin1 view (one char per byte, no decoding cost) with the detectors' triggers;
// only lines that match a trigger, or that follow while a detector is inside a block, are decoded as UTF-8
// (invalid sequences replaced), cleaned and fed to detectors.
import { cleanLine, MAX_LINE_BYTES, TRUNCATION_MARKER } from '../capture';
import { fingerprintOf } from '../fingerprint';
import type { DetectedError, Detector, DetectorSession, ErrorEvent, ScanContext } from './detector';
import { allDetectors } from './registry';
import { linkCauses } from './causality';
import { compileTriggers, type TriggerSet } from './triggerSet';

export interface ScanOptions {
  detectors?: Detector[];
  context?: ScanContext;
  /** Called for each event as soon as it is complete (streaming consumers). */
  onEvent?: (event: ErrorEvent) => void;
  /** Keep events in the result (default true); large backfills can turn this off and use onEvent. */
  collect?: boolean;
}

export interface ScanResult {
  events: ErrorEvent[];
  lines: number;
  bytes: number;
}

function toEvent(error: DetectedError): ErrorEvent {
  return { ...error, ...fingerprintOf(error.tool, error.category, error.message) };
}

/**
 * Rewrites a trigger so it runs over the latin1 view of UTF-8 bytes: each non-ASCII character becomes its
 * UTF-8 byte sequence. Inside a character class this widens the match, which is harmless for a prefilter
 * (each candidate line is tested again with the real trigger after decoding).
 */
export function byteTriggerSource(source: string): string {
  let out = '';
  for (const ch of source) {
    if (ch.charCodeAt(0) < 0x80) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}



/** A scan in progress: write output to it in pieces of any size, then finish. */
export class Scan {
  private readonly detectors: Detector[];
  private readonly sessions: DetectorSession[];
  private readonly triggers: TriggerSet;
  private readonly events: ErrorEvent[] = [];
  /** Per session: whether it was open (and so already fed) for the current line. */
  private readonly sawLine: boolean[] = [];
  private lineNo = 0;
  private bytes = 0;
  /** The incomplete last line of the previous piece (at most MAX_LINE_BYTES). */
  private carry: Buffer | undefined;
  /** Inside an over-long line whose head was already fed. */
  private skippingLongLine = false;

  constructor(options: ScanOptions = {}) {
    this.detectors = options.detectors ?? allDetectors();
    const emit = (error: DetectedError) => {
      const event = toEvent(error);
      options.onEvent?.(event);
      if (options.collect !== false) this.events.push(event);
    };
    this.sessions = this.detectors.map((d) => d.start(emit, options.context ?? {}));
    this.triggers = compileTriggers(this.detectors.map((d) => byteTriggerSource(d.trigger.source)));
  }

  /** Whether a detector is inside a block (then every line goes to it); sessions change only when fed. */
  private opened = false;

  private anyOpen(): boolean {
    for (const s of this.sessions) if (s.open) return true;
    return false;
  }

  /** Decodes bytes [start, end) of one line and feeds it to the sessions that want it. */
  private feedLine(buf: Buffer, start: number, end: number): void {
    this.feedSessions(buf, start, end);
    this.opened = this.anyOpen();
  }

  private feedSessions(buf: Buffer, start: number, end: number): void {
    this.lineNo++;
    const long = end - start > MAX_LINE_BYTES;
    const raw = buf.toString('utf8', start, long ? start + MAX_LINE_BYTES : end);
    const line = long ? cleanLine(raw) + TRUNCATION_MARKER : cleanLine(raw);
    const sawLine = this.sawLine;
    let claimed = false;
    for (let i = 0; i < this.sessions.length; i++) {
      sawLine[i] = this.sessions[i].open;
      if (sawLine[i] && this.sessions[i].feed(line, this.lineNo)) claimed = true;
    }
    if (claimed) return;
    for (let i = 0; i < this.sessions.length; i++) {
      if (!sawLine[i] && this.detectors[i].trigger.test(line) && this.sessions[i].feed(line, this.lineNo)) return;
    }
  }

  /**
   * Processes buf[start, end), which ends with a newline. Candidate lines are those a trigger matches in the raw
   * bytes — line-start triggers tried at each line start, the others searched ahead — plus lines holding an escape
   * or a carriage return: an escape can split a trigger word, so those few are cleaned first and tested again.
   * Everything else is skipped without decoding.
   */
  private region(buf: Buffer, start: number, end: number): void {
    const text = buf.toString('latin1', start, end);
    const { atLineStart, anywhere } = this.triggers;
    // The next match of each searched trigger group, ESC and CR at or after the current line, each searched again
    // only once passed, and never again once there is none left (-1): linear time.
    const next = anywhere.map(() => -2);
    let nextEsc = -2;
    let nextCr = -2;
    let pos = 0;
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      if (this.opened) {
        this.feedLine(buf, start + pos, start + nl);
        pos = nl + 1;
        continue;
      }
      let hit = false;
      for (let k = 0; k < anywhere.length; k++) {
        if (next[k] !== -1 && next[k] < pos) {
          anywhere[k].lastIndex = pos;
          next[k] = anywhere[k].exec(text)?.index ?? -1;
        }
        if (next[k] !== -1 && next[k] < nl) hit = true;
      }
      if (!hit && atLineStart) {
        atLineStart.lastIndex = pos;
        hit = atLineStart.test(text);
      }
      if (hit) {
        this.feedLine(buf, start + pos, start + nl);
        pos = nl + 1;
        continue;
      }
      if (nextEsc !== -1 && nextEsc < pos) nextEsc = text.indexOf('\x1b', pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf('\r', pos);
      if ((nextEsc !== -1 && nextEsc < nl) || (nextCr !== -1 && nextCr < nl)) {
        // An escaped line: feed it only if its clean form matches a trigger.
        if (this.triggers.matchesLine(cleanLine(text.slice(pos, Math.min(nl, pos + MAX_LINE_BYTES))))) {
          this.feedLine(buf, start + pos, start + nl);
          pos = nl + 1;
          continue;
        }
      }
      this.lineNo++;
      pos = nl + 1;
    }
  }

  /** Feeds the head of an over-long line and skips the rest of it. */
  private longLine(buf: Buffer): void {
    const head = Buffer.concat([buf.subarray(0, MAX_LINE_BYTES + 1), Buffer.from('\n')]);
    this.region(head, 0, head.length);
    this.skippingLongLine = true;
  }

  /** Feeds raw output (any split, any encoding damage). */
  write(piece: Buffer | string): void {
    let buf = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    this.bytes += buf.length;
    if (this.skippingLongLine) {
      const nl = buf.indexOf(10);
      if (nl === -1) return;
      buf = buf.subarray(nl + 1);
      this.skippingLongLine = false;
    }
    let from = 0;
    if (this.carry) {
      // Join the carried partial line with the head of this piece only, so big pieces are never copied.
      const nl = buf.indexOf(10);
      const head = Buffer.concat([this.carry, buf.subarray(0, nl === -1 ? buf.length : nl + 1)]);
      this.carry = undefined;
      if (nl === -1) {
        if (head.length > MAX_LINE_BYTES) this.longLine(head);
        else this.carry = head;
        return;
      }
      this.region(head, 0, head.length);
      from = nl + 1;
    }
    const last = buf.lastIndexOf(10);
    if (last >= from) this.region(buf, from, last + 1);
    const rest = buf.subarray(Math.max(from, last + 1));
    if (rest.length > MAX_LINE_BYTES) this.longLine(rest);
    else if (rest.length > 0) this.carry = Buffer.from(rest);
  }

  finish(): ScanResult {
    if (this.carry) {
      const tail = Buffer.concat([this.carry, Buffer.from('\n')]);
      this.carry = undefined;
      this.region(tail, 0, tail.length);
    }
    for (const s of this.sessions) s.end();
    linkCauses(this.events);
    return { events: this.events, lines: this.lineNo, bytes: this.bytes };
  }
}

/** Scans a whole text in memory. */
export function scanText(text: string, options: ScanOptions = {}): ScanResult {
  const scan = new Scan(options);
  scan.write(text);
  return scan.finish();
}

/** Scans a byte or text stream with bounded memory. */
export async function scanStream(input: AsyncIterable<Buffer | string>, options: ScanOptions = {}): Promise<ScanResult> {
  const scan = new Scan(options);
  for await (const piece of input) scan.write(piece);
  return scan.finish();
}
