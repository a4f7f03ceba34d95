// Detector contract: one module per tool family under detectors/, each a small streaming state machine.

export type Severity = 'error' | 'warning' | 'info';

/** What a detector reports; the scanner adds fingerprints and causality. */
export interface DetectedError {
  tool: string;
  category: string;
  severity: Severity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** Values pulled out of the message that rules use (module name, port, command, test name…). */
  data?: Record<string, string>;
  /** Lines of the output block that make up this error (bounded). */
  context: string[];
  /** 1-based line numbers of the block in the scanned output. */
  startLine: number;
  endLine: number;
}

/** A detector's finding before the scanner adds the block's lines and position. */
export type Found = Omit<DetectedError, 'context' | 'startLine' | 'endLine'>;

export interface ErrorEvent extends DetectedError {
  fingerprint: string;
  coarseFingerprint: string;
  /** Fingerprint of the root-cause event in the same run, when this one is a follower. */
  causedBy?: string;
}

export interface ScanContext {
  commandLine?: string;
  cwd?: string;
  exitCode?: number;
}

export interface DetectorSession {
  /**
   * Feeds one cleaned line (1-based `lineNo`). Lines reach open sessions first; then, if no open session
   * claimed the line, the sessions whose trigger matches, in registry order, until one claims it. Returning
   * true claims the line (it belongs to this detector's error), which keeps one failure from becoming several
   * events and lets a specific detector shadow the generic one.
   */
  feed(line: string, lineNo: number): boolean;
  /** True while the session is inside a multi-line block and needs every following line. */
  readonly open: boolean;
  /** Flushes any block still open at end of input. */
  end(): void;
}

export interface Detector {
  /** Tool family, e.g. `tsc`, `jest`, `python`. */
  id: string;
  /**
   * A cheap, case-sensitive, non-backtracking regex for lines that can start an error. Lines that match no
   * trigger are skipped without being fed, which is what keeps scanning fast.
   */
  trigger: RegExp;
  start(emit: (error: DetectedError) => void, context: ScanContext): DetectorSession;
}

/** Keeps at most `max` items; used to bound context and block sizes. */
export const MAX_CONTEXT_LINES = 20;

/**
 * Helper for single-line detectors: every triggered line is passed to `match`, which returns the error, or
 * `null` to claim the line silently (a summary of an error already reported), or undefined to pass.
 */
export function lineDetector(
  id: string,
  trigger: RegExp,
  match: (line: string, lineNo: number, context: ScanContext) => Found | null | undefined,
): Detector {
  return {
    id,
    trigger,
    start(emit, context) {
      return {
        open: false,
        feed(line, lineNo) {
          const found = match(line, lineNo, context);
          if (found) emit({ ...found, context: [line], startLine: lineNo, endLine: lineNo });
          return found !== undefined;
        },
        end() {},
      };
    },
  };
}
