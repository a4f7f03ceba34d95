// Scanner: drives all detectors over streamed output in linear time and bounded memory.
//
// Output is taken in windows of whole lines (at most WINDOW bytes). The byte kernels (lineKernel.ts) find the
// newlines and the lines that need cleaning first (escapes, carriage returns, control bytes); those are cleaned
// into a copy of the window, so every search below sees what the detectors would see. The trigger prefilter
// (triggerSet.ts) then finds the few lines that may match a trigger; only those — and, while a detector is inside a
// block, every line — are decoded as UTF-8 (invalid sequences replaced), cleaned and fed to the detectors.
// The first PREFILTER_AFTER bytes skip all that and feed every line, which is cheaper for small output.
import { isUtf8 } from 'node:buffer';
import { cleanLine, MAX_LINE_BYTES, TRUNCATION_MARKER } from '../capture';
import { fingerprintOf } from '../fingerprint';
import type { DetectedError, Detector, DetectorSession, ErrorEvent, ScanContext } from './detector';
import { allDetectors } from './registry';
import { linkCauses } from './causality';
import { compileTriggers, type Literal, type Printed, type TriggerSet } from './triggerSet';
import { acquireKernel, releaseKernel, type Kernel } from './lineKernel';

export interface ScanOptions {
  detectors?: Detector[];
  context?: ScanContext;
  /** Called for each event as soon as it is complete (streaming consumers). */
  onEvent?: (event: ErrorEvent) => void;
  /** Keep events in the result (default true); large backfills can turn this off and use onEvent. */
  collect?: boolean;
  /** Feed every line to the detectors, without the prefilter (the reference the prefilter is tested against). */
  exhaustive?: boolean;
  /** Output up to this many bytes is fed line by line, the rest goes through the prefilter (default 128 KiB). */
  prefilterAfter?: number;
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

/** Bytes of output handled per window (whole lines; a window is never less than one line). */
const WINDOW = 1 << 20;
/**
 * A line longer than this with invalid UTF-8 is also checked by its decoded text: decoding replaces an invalid byte
 * by three, and a cleaned line over MAX_LINE_BYTES is cut, so its cleaned text may differ from its bytes' (rare).
 * (Lines over MAX_LINE_BYTES, cut before cleaning and marked, always are.)
 */
const LONG_LINE = Math.floor(MAX_LINE_BYTES / 3);

/** A window at least this large fits the trigger fingerprints to the output, from its first TUNE_SAMPLE bytes. */
const TUNE_AFTER = 64 << 10;
const TUNE_SAMPLE = 64 << 10;
/**
 * Output up to this size is fed line by line: compiling the prefilter takes longer than scanning that (~35 ms, once
 * per process), and most command output is smaller.
 */
const PREFILTER_AFTER = 128 << 10;

const compiled = new Map<string, TriggerSet>();

/** The trigger set of some detectors, compiled once per process for each distinct list of triggers. */
function triggersOf(detectors: Detector[]): TriggerSet {
  const key = detectors.map((d) => `${d.trigger.flags}/${d.trigger.source}`).join('\n');
  let set = compiled.get(key);
  if (!set) {
    set = compileTriggers(detectors.map((d) => d.trigger));
    if (compiled.size >= 16) compiled.clear();
    compiled.set(key, set);
  }
  return set;
}

function someLiteral(lits: Literal[], test: (lit: Literal) => boolean): boolean {
  for (const lit of lits) if (test(lit)) return true;
  return false;
}

/** The cleaned text of raw line bytes, as the detectors get it. */
function lineText(buf: Buffer, start: number, end: number): string {
  const long = end - start > MAX_LINE_BYTES;
  const raw = buf.toString('utf8', start, long ? start + MAX_LINE_BYTES : end);
  return long ? cleanLine(raw) + TRUNCATION_MARKER : cleanLine(raw);
}

/** A scan in progress: write output to it in pieces of any size, then finish. */
export class Scan {
  private readonly detectors: Detector[];
  private readonly sessions: DetectorSession[];
  /** Compiled when the output outgrows prefilterAfter (once per process for the same detectors). */
  private triggers: TriggerSet | undefined;
  /** Whether the triggers' fingerprints were fitted to this output yet (on its first large window). */
  private tuned = false;
  private exhaustive: boolean;
  /** Bytes fed line by line before the prefilter took over, and how many that may be. */
  private fedAll = 0;
  private readonly prefilterAfter: number;
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
    this.exhaustive = options.exhaustive === true;
    this.prefilterAfter = options.prefilterAfter ?? PREFILTER_AFTER;
  }

  /** Whether a detector is inside a block (then every line goes to it); sessions change only when fed. */
  private opened = false;

  private anyOpen(): boolean {
    for (const s of this.sessions) if (s.open) return true;
    return false;
  }

  /** Decodes bytes [start, end) of one line and feeds it to the sessions that want it. */
  private feedLine(buf: Buffer, start: number, end: number): void {
    this.feedSessions(lineText(buf, start, end));
    this.opened = this.anyOpen();
  }

  private feedSessions(line: string): void {
    this.lineNo++;
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
   * Processes buf[start, end), which ends with a newline: the first prefilterAfter bytes of output line by line,
   * the rest a window at a time through the prefilter (both feed the detectors the same).
   */
  private region(buf: Buffer, start: number, end: number): void {
    while (start < end) {
      if (this.exhaustive || this.fedAll < this.prefilterAfter) {
        const left = this.prefilterAfter - this.fedAll;
        const stop = this.exhaustive || end - start <= left ? end : buf.indexOf(10, start + left - 1) + 1;
        this.feedAll(buf, start, stop);
        this.fedAll += stop - start;
        start = stop;
        continue;
      }
      this.triggers ??= triggersOf(this.detectors);
      if (this.triggers.feedAll) {
        this.exhaustive = true;
        continue;
      }
      // Lines are at most MAX_LINE_BYTES + 1 long (see longLine), so a window always holds a whole one.
      const stop = end - start <= WINDOW ? end : buf.lastIndexOf(10, start + WINDOW - 1) + 1;
      this.window(buf, start, stop, this.triggers);
      start = stop;
    }
  }

  private feedAll(buf: Buffer, start: number, end: number): void {
    for (let pos = start; pos < end;) {
      const nl = buf.indexOf(10, pos);
      this.feedLine(buf, pos, nl);
      pos = nl + 1;
    }
  }

  /** Per window: which lines to feed, and where the raw lines end (kept across windows, grown as needed). */
  private marks = new Uint8Array(0);
  private newlines = new Int32Array(0);

  /**
   * One window: finds the lines that may match a trigger (marks), then feeds those, and every line while a detector
   * is inside a block. The kernel is released before feeding, so a scan started from a detector callback is fine.
   */
  private window(buf: Buffer, start: number, end: number, triggers: TriggerSet): void {
    const len = end - start;
    const kernel = acquireKernel();
    let count: number;
    try {
      kernel.ensure(len);
      kernel.load(triggers.tables);
      const L = kernel.layout;
      kernel.mem.set(buf.subarray(start, end), L.raw);
      kernel.mem.fill(32, L.raw + len, L.raw + len + 32);
      const [lines, specialBytes] = kernel.classify(L.raw, len, L.nlRaw, L.special);
      count = lines;
      if (this.marks.length < count) {
        this.marks = new Uint8Array(Math.max(count, this.marks.length * 2));
        this.newlines = new Int32Array(this.marks.length);
      }
      this.marks.fill(0, 0, count);
      const n = kernel.dispatch(L.nlRaw, count, L.raw, L.out, L.special, specialBytes, LONG_LINE);
      const exact = this.longLines(kernel, n);
      const cleaned = specialBytes > 0;
      const text = cleaned ? L.clean : L.raw;
      const textLen = cleaned ? this.cleanWindow(kernel, len, count, n, exact) : len;
      if (!this.tuned && len >= TUNE_AFTER) {
        this.triggers = triggers = triggers.tuned(kernel.mem.slice(text, text + Math.min(textLen, TUNE_SAMPLE)));
        kernel.load(triggers.tables);
        this.tuned = true;
      }
      this.prefilter(kernel, triggers, text, textLen, cleaned ? L.nlClean : L.nlRaw, count, n, this.marks);
      this.newlines.set(kernel.i32.subarray(L.nlRaw >> 2, (L.nlRaw >> 2) + count));
      for (const line of exact) this.prefilterExact(kernel, triggers, buf, start, line);
    } finally {
      releaseKernel(kernel);
    }
    const { marks, newlines } = this;
    let i = 0;
    for (;;) {
      while (this.opened && i < count) {
        this.feedLine(buf, start + (i === 0 ? 0 : newlines[i - 1] + 1), start + newlines[i]);
        i++;
      }
      const next = i < count ? marks.indexOf(1, i) : -1;
      if (next === -1 || next >= count) {
        this.lineNo += count - i;
        return;
      }
      this.lineNo += next - i;
      this.feedLine(buf, start + (next === 0 ? 0 : newlines[next - 1] + 1), start + newlines[next]);
      i = next + 1;
    }
  }

  /**
   * The long lines (dispatch flag 8) whose bytes may not tell their cleaned text: over MAX_LINE_BYTES (cut before
   * cleaning, and marked), or with invalid UTF-8 (decoding makes an invalid byte three, and a cleaned line over
   * MAX_LINE_BYTES is cut). prefilterExact checks those by their decoded text, as well.
   */
  private longLines(kernel: Kernel, n: number): number[] {
    const { i32, mem, layout: L } = kernel;
    const out = L.out >> 2;
    const nl = L.nlRaw >> 2;
    const lines: number[] = [];
    for (let j = 0; j < n; j++) {
      const entry = i32[out + j];
      if (!(entry & (8 << 28))) continue;
      const line = entry & 0x0fffffff;
      const s = line === 0 ? 0 : i32[nl + line - 1] + 1;
      const e = i32[nl + line];
      if (e - s > MAX_LINE_BYTES || !isUtf8(mem.subarray(L.raw + s, L.raw + e))) lines.push(line);
    }
    return lines;
  }

  /**
   * Cleans the window (see Kernel.clean) and returns the clean length. Lines the kernel cannot clean (with U+009B,
   * or over MAX_LINE_BYTES) are added to `exact`, for prefilterExact.
   */
  private cleanWindow(kernel: Kernel, len: number, count: number, n: number, exact: number[]): number {
    const { i32, layout: L } = kernel;
    const [cleanLen, forced] = kernel.clean(n, count, len, MAX_LINE_BYTES);
    const known = new Set(exact);
    for (let j = 0; j < forced; j++) {
      const line = i32[(L.special >> 2) + j];
      if (!known.has(line)) exact.push(line);
    }
    kernel.mem.fill(32, L.clean + cleanLen, L.clean + cleanLen + 32);
    return cleanLen;
  }

  /**
   * Prefilters one line the byte cleaner cannot clean exactly: its cleaned text as the detectors will get it, as
   * UTF-8, goes through the same checks as a one-line window (in the raw area, free by now).
   */
  private prefilterExact(kernel: Kernel, triggers: TriggerSet, buf: Buffer, start: number, line: number): void {
    const s = start + (line === 0 ? 0 : this.newlines[line - 1] + 1);
    const bytes = Buffer.from(lineText(buf, s, start + this.newlines[line]), 'utf8');
    kernel.ensure(bytes.length + 1);
    const L = kernel.layout;
    kernel.mem.set(bytes, L.raw);
    kernel.mem[L.raw + bytes.length] = 10;
    kernel.mem.fill(32, L.raw + bytes.length + 1, L.raw + bytes.length + 33);
    const [, specialBytes] = kernel.classify(L.raw, bytes.length + 1, L.nlRaw, L.special);
    const n = kernel.dispatch(L.nlRaw, 1, L.raw, L.out, L.special, specialBytes, bytes.length + 1);
    this.prefilter(kernel, triggers, L.raw, bytes.length + 1, L.nlRaw, 1, n, this.marks.subarray(line, line + 1));
  }

  /**
   * Marks (in `marks`, by line index) the lines of the clean text that a trigger may match. `n` dispatch entries are
   * in the out area.
   */
  private prefilter(
    kernel: Kernel,
    T: TriggerSet,
    text: number,
    len: number,
    nl: number,
    count: number,
    n: number,
    marks: Uint8Array,
  ): void {
    const { mem, i32, layout: L } = kernel;
    const nlAt = nl >> 2;
    const view = Buffer.from(mem.buffer, mem.byteOffset, mem.byteLength) as Buffer & {
      latin1Slice(start: number, end: number): string;
    };
    const lineStart = (line: number) => (line === 0 ? text : text + i32[nlAt + line - 1] + 1);
    const lineEnd = (line: number) => text + i32[nlAt + line];
    /** The line holding text offset `at` (binary search over the newlines). */
    const lineOf = (at: number) => {
      let lo = 0;
      let hi = count - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (i32[nlAt + mid] < at) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    /** A byte of [s, e) that a whole-line branch cannot hold. */
    const holdsForeign = (s: number, e: number, foreign: Uint8Array) => {
      for (let k = s; k < e; k++) if (foreign[mem[k]]) return true;
      return false;
    };
    const confirm = (line: number, branches: number[]) => {
      const s = lineStart(line);
      const e = lineEnd(line);
      let str: string | undefined;
      for (const b of branches) {
        const foreign = T.foreign[b];
        if (foreign && holdsForeign(s, e, foreign)) continue;
        str ??= view.latin1Slice(s, e);
        if (T.branches[b].test(str)) return ((marks[line] = 1), true);
      }
      return false;
    };
    const same = (at: number, lit: Uint8Array) => {
      for (let k = 0; k < lit.length; k++) if (mem[at + k] !== lit[k]) return false;
      return true;
    };

    // Line starts and ends.
    const out = L.out >> 2;
    for (let j = 0; j < n; j++) {
      const entry = i32[out + j];
      const line = entry & 0x0fffffff;
      if (marks[line]) continue;
      const s = lineStart(line);
      const e = lineEnd(line);
      if (entry & (1 << 28) && e > s) {
        const lits = T.starts[mem[s]];
        if (
          lits &&
          someLiteral(lits, (lit) => s + lit.bytes.length <= e + 1 && same(s, lit.bytes) && confirm(line, lit.branches))
        )
          continue;
      }
      if (entry & (2 << 28) && e > s) {
        const lits = T.ends[mem[e - 1]];
        if (lits)
          someLiteral(
            lits,
            (lit) => e - lit.bytes.length >= s && same(e - lit.bytes.length, lit.bytes) && confirm(line, lit.branches),
          );
      }
    }

    // Literals anywhere, by their fingerprints.
    if (T.printed) {
      const found = kernel.teddy(text, len, L.out);
      const [two, three, four] = T.prints;
      const check = (at: number, lits: Printed[] | undefined) => {
        if (!lits) return;
        for (const lit of lits) {
          const from = at - lit.offset;
          if (from < 0 || from + lit.bytes.length > len || !same(text + from, lit.bytes)) continue;
          const line = lineOf(from);
          if (!marks[line]) confirm(line, lit.branches);
        }
      };
      for (let j = 0; j < found; j++) {
        const at = i32[out + j] & 0xffffff;
        if (at >= len) break;
        const p = text + at;
        const v2 = mem[p] | (mem[p + 1] << 8);
        if (two.size) check(at, two.get(v2));
        if (three.size) check(at, three.get(v2 | (mem[p + 2] << 16)));
        check(at, four.get(v2 | (mem[p + 2] << 16) | (mem[p + 3] << 24)));
      }
    }
    if (T.keys.length > 0) {
      const textView = view.subarray(text, text + len);
      for (const key of T.keys) {
        for (let at = textView.indexOf(key.bytes); at !== -1;) {
          const line = lineOf(at);
          if (!marks[line]) confirm(line, key.branches);
          at = textView.indexOf(key.bytes, i32[nlAt + line] + 1);
        }
      }
    }

    // Branches without a literal: every line.
    if (T.always.length > 0) for (let line = 0; line < count; line++) if (!marks[line]) confirm(line, T.always);
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
export async function scanStream(
  input: AsyncIterable<Buffer | string>,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const scan = new Scan(options);
  for await (const piece of input) scan.write(piece);
  return scan.finish();
}
