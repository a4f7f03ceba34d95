// A problem another tool reported (an editor diagnostic, a problem-matcher hit) written back as the line its
// tool prints, so the detectors read it like captured output.

export interface Problem {
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  message: string;
  /** Who reported it (`ts`, `eslint`, …) and its code, when known. */
  source?: string;
  code?: string | number;
}

export function problemAsOutputLine(p: Problem): string {
  const message = p.message.split('\n')[0];
  if (p.source === 'ts' && p.code !== undefined)
    return `${p.file}(${p.line},${p.column}): error TS${p.code}: ${message}`;
  const tag = p.code !== undefined ? ` [${p.source ? `${p.source}/` : ''}${p.code}]` : '';
  return `${p.file}:${p.line}:${p.column}: error: ${message}${tag}`;
}
