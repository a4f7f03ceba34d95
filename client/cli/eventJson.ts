// The public JSON shape of an event (`heal scan --json`, `heal run --json`). Scripts parse it: change with care.
import type { ErrorEvent } from '../../shared/detect/detector';

export interface EventJson {
  tool: string;
  category: string;
  severity: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  fingerprint: string;
  coarseFingerprint: string;
  causedBy: string | null;
  /** 1-based line span of the error in the scanned output. */
  outputLines: { start: number; end: number };
  source?: string;
}

export function eventToJson(event: ErrorEvent, source?: string): EventJson {
  return {
    tool: event.tool,
    category: event.category,
    severity: event.severity,
    message: event.message,
    file: event.file ?? null,
    line: event.line ?? null,
    column: event.column ?? null,
    fingerprint: event.fingerprint,
    coarseFingerprint: event.coarseFingerprint,
    causedBy: event.causedBy ?? null,
    outputLines: { start: event.startLine, end: event.endLine },
    ...(source ? { source } : {}),
  };
}
