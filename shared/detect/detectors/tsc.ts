// TypeScript compiler: `file(line,col): error TS1234: msg` (plain) and `file:line:col - error TS1234: msg` (pretty).
import { lineDetector, type Found } from '../detector';

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

/** Names the message is about: the module for TS2307, the name for TS2304/TS2552, tsc's own suggestion. */
function dataOf(code: string, message: string): Record<string, string> {
  const data: Record<string, string> = { code: `TS${code}` };
  const quoted = /'([^']+)'/.exec(message)?.[1];
  const category = CATEGORIES[code];
  if (quoted && (category === 'module-not-found' || category === 'missing-types')) data.module = quoted;
  else if (quoted && (category === 'name-not-found' || category === 'property-not-found')) data.name = quoted;
  const suggestion = /Did you mean '([^']+)'\?/.exec(message)?.[1];
  if (suggestion) data.suggestion = suggestion;
  return data;
}

export const tscDetector = lineDetector('tsc', / TS\d+: /, (line): Found | null | undefined => {
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
      data: dataOf(code, message),
    };
  }
  const g = GLOBAL.exec(line);
  if (!g) return undefined;
  return {
    tool: 'tsc',
    category: CATEGORIES[g[2]] ?? `TS${g[2]}`,
    severity: g[1] === 'warning' ? 'warning' : 'error',
    message: `TS${g[2]}: ${g[3]}`,
    data: dataOf(g[2], g[3]),
  };
});
