// rustc/cargo: one event per diagnostic (`error[E0425]: …` with its ` --> file:line:col`), and one per failing
// `cargo test` test (`thread 'name' panicked at file:line:col:`).
import { blockDetector, type Found } from '../block';
import { lineDetector } from '../detector';
import { Category } from '../categories';

interface State {
  severity: 'error' | 'warning';
  code?: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  help: string[];
}

const HEADER = /^(error|warning)(?:\[(E\d{4})\])?: (.+)$/;
const SUMMARY =
  /^(?:error: could not compile|error: aborting due to|warning: `[^`]+` \((?:bin|lib)[^)]*\) generated|warning: build failed|error: test failed|error: \d+ targets? failed)/;

function classify(s: State): Found | undefined {
  const base = {
    tool: 'rust',
    severity: s.severity,
    message: s.code ? `${s.code}: ${s.message}` : s.message,
    file: s.file,
    line: s.line,
    column: s.column,
  };
  const data: Record<string, string> = s.code ? { code: s.code } : {};
  const help = s.help.join('\n');
  const add = /use `(cargo add [^`]+)`/.exec(help);
  if (add) data.suggestion = add[1];
  let m =
    /(?:unresolved import|unlinked crate|undeclared crate or module|failed to resolve: use of undeclared crate) `([\w-]+)/.exec(
      s.message + '\n' + help,
    );
  if ((s.code === 'E0432' || s.code === 'E0433') && m)
    return { ...base, category: Category.moduleNotFound, data: { ...data, module: m[1] } };
  if ((m = /cannot find (?:value|function|type|struct|macro|trait) `([^`]+)`/.exec(s.message)))
    return { ...base, category: Category.nameNotFound, data: { ...data, name: m[1] } };
  if (s.severity === 'warning')
    return { ...base, category: /unused/.test(s.message) ? 'unused' : Category.compileError, data };
  return { ...base, category: Category.compileError, data };
}

export const rustDetector = blockDetector<State>('rust', /^(?:error|warning)(?:\[E\d{4}\])?: /, {
  begin: (line) => {
    if (SUMMARY.test(line)) return { severity: 'error', message: '', help: ['summary'] };
    const m = HEADER.exec(line);
    return m ? { severity: m[1] as 'error' | 'warning', code: m[2], message: m[3], help: [] } : undefined;
  },
  next: (s, line) => {
    if (s.help[0] === 'summary') return 'end';
    const loc = /^\s*--> (.+?):(\d+):(\d+)$/.exec(line);
    if (loc && s.file === undefined) {
      s.file = loc[1];
      s.line = Number(loc[2]);
      s.column = Number(loc[3]);
      return 'take';
    }
    if (
      /^\s*(?:\d+\s*)?\||^\s*=|^\s*(?:help|note|-->|::)|^\s*\.\.\.$|^\s*\d+\s*[|+-]/.test(line) ||
      /^(?:help|note): /.test(line)
    ) {
      s.help.push(line);
      return 'take';
    }
    return 'end';
  },
  finish: (s, lines) => {
    if (s.help[0] === 'summary') return undefined;
    // Without an error code or a source location this was not a rustc diagnostic, just an `error:` line.
    if (!s.code && s.file === undefined)
      return {
        tool: 'generic',
        category: Category.generic,
        severity: s.severity,
        message: lines[0].replace(/^(?:error|warning): /, ''),
      };
    return classify(s);
  },
});

export const cargoTestDetector = lineDetector(
  'cargo-test',
  /^thread '[^']+'(?: \(\d+\))? panicked at /,
  (line): Found | null | undefined => {
    const m = /^thread '([^']+)'(?: \(\d+\))? panicked at (.+?):(\d+):(\d+):?$/.exec(line);
    if (!m || m[1] === 'main')
      return m
        ? {
            tool: 'rust',
            category: Category.exception,
            severity: 'error',
            message: line,
            file: m[2],
            line: Number(m[3]),
            column: Number(m[4]),
          }
        : undefined;
    return {
      tool: 'cargo',
      category: Category.testFailure,
      severity: 'error',
      message: `${m[1]} panicked`,
      file: m[2],
      line: Number(m[3]),
      column: Number(m[4]),
      data: { test: m[1] },
    };
  },
);
