// TypeScript compiler: `file(line,col): error TS1234: msg` (plain) and `file:line:col - error TS1234: msg` (pretty).
import { lineDetector } from '../detector';

const PLAIN = /^(.+?)\((\d+),(\d+)\): (error|warning) TS(\d+): (.*)$/;
const PRETTY = /^(.+?):(\d+):(\d+) - (error|warning) TS(\d+): (.*)$/;
const GLOBAL = /^(error|warning) TS(\d+): (.*)$/;

const CATEGORIES: Record<string, string> = {
  '2307': 'module-not-found',
  '2792': 'module-not-found',
  '7016': 'missing-types',
  '2304': 'name-not-found',
  '2552': 'name-not-found',
  '2339': 'property-not-found',
  '2551': 'property-not-found',
  '2322': 'type-mismatch',
  '2345': 'type-mismatch',
  '2531': 'possibly-null',
  '2532': 'possibly-undefined',
  '18047': 'possibly-null',
  '18048': 'possibly-undefined',
  '2554': 'wrong-arity',
  '1005': 'syntax',
  '6133': 'unused',
};

export const tscDetector = lineDetector('tsc', / TS\d+: /, (line) => {
  const m = PLAIN.exec(line) ?? PRETTY.exec(line);
  if (m) {
    const [, file, ln, col, sev, code, message] = m;
    return {
      tool: 'tsc',
      category: CATEGORIES[code] ?? `TS${code}`,
      severity: sev === 'warning' ? 'warning' : 'error',
      message: `TS${code}: ${message}`,
      file,
      line: Number(ln),
      column: Number(col),
      data: { code: `TS${code}` },
    };
  }
  const g = GLOBAL.exec(line);
  if (!g) return undefined;
  return { tool: 'tsc', category: CATEGORIES[g[2]] ?? `TS${g[2]}`, severity: g[1] === 'warning' ? 'warning' : 'error', message: `TS${g[2]}: ${g[3]}`, data: { code: `TS${g[2]}` } };
});
