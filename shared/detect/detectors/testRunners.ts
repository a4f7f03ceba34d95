// Test runners (jest, vitest, mocha): one event per failing test, located at the failing assertion.
import { blockDetector, type Found } from '../block';
import { Category } from '../categories';

interface TestBlock {
  test: string;
  file?: string;
  title?: string[];
  titleDone?: boolean;
}

const STACK_LOCATION = /\(?((?:[A-Za-z]:)?[^\s():]+\.[cm]?[jt]sx?):(\d+):(\d+)\)?$/;

function locate(lines: string[], prefer: RegExp): { file?: string; line?: number; column?: number } {
  for (const l of lines) {
    if (!prefer.test(l) || /node_modules|node:internal/.test(l)) continue;
    const m = STACK_LOCATION.exec(l.trim());
    if (m) return { file: m[1], line: Number(m[2]), column: Number(m[3]) };
  }
  return {};
}

function firstText(lines: string[]): string {
  return lines.map((l) => l.trim()).find((l) => l.length > 0) ?? '';
}

function testFailure(
  tool: string,
  test: string,
  message: string,
  where: { file?: string; line?: number; column?: number },
  fallbackFile?: string,
): Found {
  const parts = test.split(/ › | > /);
  return {
    tool,
    category: Category.testFailure,
    severity: 'error',
    message: message ? `${test}: ${message}` : test,
    file: where.file ?? fallbackFile,
    line: where.line,
    column: where.column,
    data: { test, ...(parts.length > 1 ? { suite: parts.slice(0, -1).join(' › ') } : {}) },
  };
}

const JEST_HEADER = /^\s+● (.+)$/;
const JEST_END = /^\s+● |^(?:Test Suites|Tests|Snapshots|Time):|^Ran all test suites|^(?:PASS|FAIL) \S/;

export const jestDetector = blockDetector<TestBlock>('jest', /^\s+● /, {
  begin: (line) => {
    const m = JEST_HEADER.exec(line);
    return m ? { test: m[1].trim() } : undefined;
  },
  next: (_s, line) => (JEST_END.test(line) ? 'end' : 'take'),
  finish: (s, lines) => testFailure('jest', s.test, firstText(lines.slice(1)), locate(lines, /^\s+at /)),
});

const VITEST_HEADER = /^ FAIL\s+(\S+) (?:> (.+)|\[ .+ \])$/;
const VITEST_END = /^ FAIL\s|^⎯{3,}|^ Test Files |^\s+Tests\s/;

export const vitestDetector = blockDetector<TestBlock>('vitest', /^ FAIL\s+\S+ (?:>|\[)/, {
  begin: (line) => {
    const m = VITEST_HEADER.exec(line);
    return m ? { test: m[2]?.trim() ?? 'test file failed to run', file: m[1] } : undefined;
  },
  next: (_s, line) => (VITEST_END.test(line) ? 'end' : 'take'),
  finish: (s, lines) => testFailure('vitest', s.test, firstText(lines.slice(1)), locate(lines, /❯|^\s+at /), s.file),
});

const MOCHA_HEADER = /^ {2}(\d+)\) (.+?)(:?)$/;

export const mochaDetector = blockDetector<TestBlock>('mocha', /^ {2}\d+\) \S/, {
  begin: (line) => {
    const m = MOCHA_HEADER.exec(line);
    return m ? { test: '', title: [m[2]], titleDone: m[3] === ':' } : undefined;
  },
  next: (s, line) => {
    if (MOCHA_HEADER.test(line)) return 'end';
    if (!s.titleDone && line.trim()) {
      const part = line.trim();
      s.titleDone = part.endsWith(':');
      s.title!.push(part.replace(/:$/, ''));
    }
    return 'take';
  },
  finish: (s, lines) => {
    const title = s.title!.join(' › ');
    const body = lines.slice(s.title!.length);
    return testFailure('mocha', title, firstText(body), locate(body, /^\s+at /));
  },
});
