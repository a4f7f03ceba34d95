// Go: compiler errors (`./main.go:7:14: undefined: totl`), module resolution, and `go test` failures
// (`--- FAIL: TestX` with the message on the next indented line).
import { blockDetector } from '../block';
import { lineDetector, type Found } from '../detector';
import { Category } from '../categories';

const COMPILE = /^(?:\.\/)?([^\s:]+\.go):(\d+):(\d+): (.+)$/;

export const goBuildDetector = lineDetector(
  'go',
  /\.go:\d+:\d+: |^go: |no required module provides package|cannot find (?:module providing )?package|missing go\.sum entry/,
  (line): Found | null | undefined => {
    let m = COMPILE.exec(line);
    if (m) {
      const [, file, ln, col, message] = m;
      const base = { tool: 'go', severity: 'error' as const, message, file, line: Number(ln), column: Number(col) };
      let d: RegExpExecArray | null;
      if ((d = /^undefined: (\S+)/.exec(message)))
        return { ...base, category: Category.nameNotFound, data: { name: d[1] } };
      if (
        (d =
          /(?:cannot find module providing package|no required module provides package|cannot find package) "?([^\s":;]+)"?/.exec(
            message,
          ))
      )
        return { ...base, category: Category.moduleNotFound, data: { package: d[1] } };
      if ((d = /missing go\.sum entry for module providing package (\S+)/.exec(message)))
        return { ...base, category: Category.moduleNotFound, data: { package: d[1], kind: 'go.sum' } };
      if (/declared (?:and|but) not used|imported (?:and|but) not used/.test(message))
        return { ...base, severity: 'error', category: 'unused' };
      return { ...base, category: Category.compileError };
    }
    if (
      (m = /^(?:go: )?(?:\S+: )?(?:no required module provides package|cannot find package) "?([^\s":;]+)"?/.exec(line))
    )
      return {
        tool: 'go',
        category: Category.moduleNotFound,
        severity: 'error',
        message: line,
        data: { package: m[1] },
      };
    if ((m = /missing go\.sum entry for module providing package (\S+)/.exec(line)))
      return {
        tool: 'go',
        category: Category.moduleNotFound,
        severity: 'error',
        message: line,
        data: { package: m[1], kind: 'go.sum' },
      };
    if (/^go: finding module|^go: downloading|^go: to add|^go: found /.test(line)) return null;
    return undefined;
  },
);

interface TestState {
  test: string;
  message?: string;
  file?: string;
  line?: number;
}

export const goTestDetector = blockDetector<TestState>('go-test', /^\s*--- FAIL: /, {
  begin: (line) => {
    const m = /^\s*--- FAIL: (\S+)/.exec(line);
    return m ? { test: m[1] } : undefined;
  },
  next: (s, line) => {
    if (/^\s*--- FAIL: /.test(line) || !/^\s{4}/.test(line)) return 'end';
    const m = /^\s+([^\s:]+\.go):(\d+): (.*)$/.exec(line);
    if (m && s.message === undefined) {
      s.file = m[1];
      s.line = Number(m[2]);
      s.message = m[3];
    }
    return 'take';
  },
  finish: (s) => ({
    tool: 'go',
    category: Category.testFailure,
    severity: 'error',
    message: s.message ? `${s.test}: ${s.message}` : `${s.test} failed`,
    file: s.file,
    line: s.line,
    data: { test: s.test },
  }),
});
