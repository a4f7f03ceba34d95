import { describe, expect, it } from 'vitest';
import { problemAsOutputLine } from '../../shared/detect/problemLine';
import { scanText } from '../../shared/detect/scanner';

describe('problems from other tools read as captured output', () => {
  it('a TypeScript diagnostic becomes a tsc error at the same place', () => {
    const line = problemAsOutputLine({
      file: '/w/src/a.ts',
      line: 3,
      column: 7,
      message: "Cannot find name 'fooo'. Did you mean 'foo'?",
      source: 'ts',
      code: 2552,
    });
    const [e] = scanText(line).events;
    expect(e).toMatchObject({ tool: 'tsc', file: '/w/src/a.ts', line: 3, column: 7, severity: 'error' });
    expect(e.message).toContain("Cannot find name 'fooo'");
  });

  it('a diagnostic from another source becomes a compiler-style error with its code', () => {
    const line = problemAsOutputLine({
      file: '/w/main.c',
      line: 10,
      column: 2,
      message: "use of undeclared identifier 'x'\nmore detail",
      source: 'clang',
      code: 'undeclared_var_use',
    });
    expect(line).toBe("/w/main.c:10:2: error: use of undeclared identifier 'x' [clang/undeclared_var_use]");
    const [e] = scanText(line).events;
    expect(e).toMatchObject({ file: '/w/main.c', line: 10, column: 2, severity: 'error' });
  });

  it('only the first line of a multi-line message is kept', () => {
    expect(problemAsOutputLine({ file: 'a.py', line: 1, column: 1, message: 'first\nsecond' })).toBe(
      'a.py:1:1: error: first',
    );
  });
});
