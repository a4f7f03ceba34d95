// javac, Maven and Gradle.
import { blockDetector, type Found } from '../block';
import { lineDetector } from '../detector';
import { Category } from '../categories';

interface State {
  file: string;
  line: number;
  severity: 'error' | 'warning';
  message: string;
  symbol?: string;
}

function classify(s: State): Found {
  const base = { tool: 'java', severity: s.severity, message: s.message, file: s.file, line: s.line };
  if (/^cannot find symbol/.test(s.message) && s.symbol) return { ...base, message: `cannot find symbol: ${s.symbol}`, category: Category.nameNotFound, data: { name: s.symbol.split(/\s+/).pop()! } };
  const pkg = /^package (\S+) does not exist/.exec(s.message);
  if (pkg) return { ...base, category: Category.moduleNotFound, data: { package: pkg[1] } };
  if (/incompatible types/.test(s.message)) return { ...base, category: Category.typeMismatch };
  return { ...base, category: Category.compileError };
}

export const javacDetector = blockDetector<State>('javac', /\.java:\d+: (?:error|warning): /, {
  begin: (line) => {
    const m = /^(\S+\.java):(\d+): (error|warning): (.+)$/.exec(line);
    return m ? { file: m[1], line: Number(m[2]), severity: m[3] as 'error' | 'warning', message: m[4] } : undefined;
  },
  next: (s, line) => {
    const symbol = /^\s+symbol:\s+(.+)$/.exec(line);
    if (symbol) s.symbol = symbol[1];
    return /^\s/.test(line) ? 'take' : 'end';
  },
  finish: classify,
});

export const mavenDetector = lineDetector('maven', /^\[ERROR\] |^> Task \S+ FAILED|^FAILURE: Build failed|^e: /, (line): Found | null | undefined => {
  let m = /^\[ERROR\] (\S+\.(?:java|kt)):\[(\d+),(\d+)\] (.+)$/.exec(line);
  if (m) return { tool: 'maven', category: /cannot find symbol/.test(m[4]) ? Category.nameNotFound : Category.compileError, severity: 'error', message: m[4], file: m[1], line: Number(m[2]), column: Number(m[3]) };
  if ((m = /^\[ERROR\] Failed to execute goal (\S+).*?: (.+?)(?: -> \[Help \d+\])?$/.exec(line))) {
    const resolution = /could not be resolved|Could not resolve dependencies|Cannot access .* in offline mode/.test(m[2]);
    return { tool: 'maven', category: resolution ? Category.installFailed : Category.compileError, severity: 'error', message: m[2].slice(0, 500), data: { goal: m[1], ...(/offline mode/.test(m[2]) ? { offline: 'true' } : {}) } };
  }
  if ((m = /^e: (?:file:\/\/)?(\S+\.kts?):(\d+):(\d+):? (.+)$/.exec(line))) return { tool: 'gradle', category: Category.compileError, severity: 'error', message: m[4], file: m[1], line: Number(m[2]), column: Number(m[3]) };
  // Maven's help text and Gradle's task summaries repeat errors reported elsewhere.
  if (/^\[ERROR\]|^> Task \S+ FAILED|^FAILURE: Build failed/.test(line)) return null;
  return undefined;
});
