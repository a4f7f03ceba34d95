// Scanner: drives all detectors over streamed output in linear time.
import { cleanLine, MAX_LINE_BYTES, readChunks, TRUNCATION_MARKER } from '../capture';
import { fingerprintOf } from '../fingerprint';
import type { DetectedError, Detector, DetectorSession, ErrorEvent, ScanContext } from './detector';
import { allDetectors } from './registry';
import { linkCauses } from './causality';

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

/** A scan in progress; feed it chunks that end on line boundaries. */
export class Scan {
  private readonly detectors: Detector[];
  private readonly sessions: DetectorSession[];
  private readonly combined: RegExp;
  private readonly events: ErrorEvent[] = [];
  private lineNo = 0;
  private bytes = 0;

  constructor(private readonly options: ScanOptions = {}) {
    this.detectors = options.detectors ?? allDetectors();
    const emit = (error: DetectedError) => {
      const event = toEvent(error);
      options.onEvent?.(event);
      if (options.collect !== false) this.events.push(event);
    };
    this.sessions = this.detectors.map((d) => d.start(emit, options.context ?? {}));
    this.combined = new RegExp(this.detectors.map((d) => `(?:${d.trigger.source})`).join('|'), 'g');
  }

  private anyOpen(): boolean {
    for (const s of this.sessions) if (s.open) return true;
    return false;
  }

  private feedLine(raw: string, lineNo: number): void {
    const line = raw.length > MAX_LINE_BYTES ? cleanLine(raw.slice(0, MAX_LINE_BYTES)) + TRUNCATION_MARKER : cleanLine(raw);
    for (let i = 0; i < this.sessions.length; i++) {
      const session = this.sessions[i];
      if (session.open || this.detectors[i].trigger.test(line)) session.feed(line, lineNo);
    }
  }

  /** Counts newlines in text[from, to). */
  private static countLines(text: string, from: number, to: number): number {
    let n = 0;
    let i = text.indexOf('\n', from);
    while (i !== -1 && i < to) {
      n++;
      i = text.indexOf('\n', i + 1);
    }
    return n;
  }

  /** Feeds a chunk of text that ends at a line boundary (or is the final piece). */
  push(chunk: string): void {
    this.bytes += chunk.length;
    let pos = 0;
    const end = chunk.length;
    while (pos < end) {
      if (this.anyOpen()) {
        let nl = chunk.indexOf('\n', pos);
        if (nl === -1) nl = end;
        this.lineNo++;
        this.feedLine(chunk.slice(pos, nl), this.lineNo);
        pos = nl + 1;
        continue;
      }
      this.combined.lastIndex = pos;
      const m = this.combined.exec(chunk);
      if (!m) {
        this.lineNo += Scan.countLines(chunk, pos, end) + (chunk.endsWith('\n') ? 0 : 1);
        return;
      }
      const lineStart = chunk.lastIndexOf('\n', m.index) + 1;
      const start = lineStart > pos ? lineStart : pos;
      this.lineNo += Scan.countLines(chunk, pos, start);
      let nl = chunk.indexOf('\n', m.index);
      if (nl === -1) nl = end;
      this.lineNo++;
      this.feedLine(chunk.slice(start, nl), this.lineNo);
      pos = nl + 1;
    }
  }

  finish(): ScanResult {
    for (const s of this.sessions) s.end();
    linkCauses(this.events);
    return { events: this.events, lines: this.lineNo, bytes: this.bytes };
  }
}

/** Scans a whole text in memory. */
export function scanText(text: string, options: ScanOptions = {}): ScanResult {
  const scan = new Scan(options);
  scan.push(text.endsWith('\n') ? text : text + '\n');
  return scan.finish();
}

/** Scans a byte or text stream with bounded memory. */
export async function scanStream(input: AsyncIterable<Buffer | string>, options: ScanOptions = {}): Promise<ScanResult> {
  const scan = new Scan(options);
  for await (const chunk of readChunks(input)) scan.push(chunk);
  return scan.finish();
}
