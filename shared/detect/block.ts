// Multi-line detectors: a block starts on a trigger line, takes the lines that belong to it, and becomes
// one or more errors when it ends.
import { MAX_CONTEXT_LINES, type Detector, type Found, type ScanContext } from './detector';

export type { Found };

export interface BlockSpec<S> {
  /** Returns the block's state when `line` starts a block, else undefined. */
  begin(line: string, context: ScanContext): S | undefined;
  /** `take` keeps the line in the block; `end` closes the block before this line (the line is not claimed). */
  next(state: S, line: string): 'take' | 'end';
  /** The errors the block amounts to (none is fine: summaries are claimed silently). */
  finish(state: S, lines: string[]): Found | Found[] | undefined;
  /** Longest block kept; longer blocks end there. */
  maxLines?: number;
}

export function blockDetector<S>(id: string, trigger: RegExp, spec: BlockSpec<S>): Detector {
  const maxLines = spec.maxLines ?? 200;
  return {
    id,
    trigger,
    start(emit, context) {
      let state: S | undefined;
      let lines: string[] = [];
      let first = 0;
      let last = 0;
      const close = () => {
        if (state === undefined) return;
        const found = spec.finish(state, lines);
        const context = lines.slice(0, MAX_CONTEXT_LINES);
        for (const f of found === undefined ? [] : Array.isArray(found) ? found : [found])
          emit({ ...f, context, startLine: first, endLine: last });
        state = undefined;
        lines = [];
      };
      const begin = (line: string, lineNo: number): boolean => {
        state = spec.begin(line, context);
        if (state === undefined) return false;
        lines = [line];
        first = last = lineNo;
        return true;
      };
      return {
        get open() {
          return state !== undefined;
        },
        feed(line, lineNo) {
          if (state !== undefined) {
            if (lines.length < maxLines && spec.next(state, line) === 'take') {
              lines.push(line);
              last = lineNo;
              return true;
            }
            close();
          }
          return begin(line, lineNo);
        },
        end: close,
      };
    },
  };
}
