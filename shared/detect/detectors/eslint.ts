// ESLint (stylish, the default formatter): a file header line, then `line:col  level  message  rule` rows,
// then `✖ N problems` with how many `--fix` can repair. Rows are held until the summary so each event can
// say whether the run reported fixable problems.
import { blockDetector, type Found } from '../block';
import { Category } from '../categories';

const FILE_HEADER = /^((?:[A-Za-z]:[\\/]|\/|\.{0,2}[\\/]?)[^\s:]*\.(?:[cm]?[jt]sx?|vue|svelte|astro|json|md))$/;
const ROW = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.+?)\s{2,}(@?[\w/-]+)$/;
const SUMMARY = /^✖ \d+ problems? \((\d+) errors?, (\d+) warnings?\)$/;

interface State {
  file?: string;
  rows: Found[];
  fixable: boolean;
  done: boolean;
}

export const eslintDetector = blockDetector<State>(
  'eslint',
  /^(?:[A-Za-z]:[\\/]|\/|\.{0,2}[\\/]?)[^\s:]*\.(?:[cm]?[jt]sx?|vue|svelte|astro|json|md)$/,
  {
    begin: (line) => {
      const m = FILE_HEADER.exec(line);
      return m ? { file: m[1], rows: [], fixable: false, done: false } : undefined;
    },
    next: (s, line) => {
      if (s.done)
        return /potentially fixable with the `--fix` option/.test(line) ? ((s.fixable = true), 'take') : 'end';
      const row = ROW.exec(line);
      if (row) {
        const [, ln, col, level, message, rule] = row;
        s.rows.push({
          tool: 'eslint',
          category: Category.lint,
          severity: level === 'warning' ? 'warning' : 'error',
          message: `${message} (${rule})`,
          file: s.file,
          line: Number(ln),
          column: Number(col),
          data: { rule },
        });
        return 'take';
      }
      const header = FILE_HEADER.exec(line);
      if (header) {
        s.file = header[1];
        return 'take';
      }
      if (line.trim() === '') return 'take';
      if (SUMMARY.test(line)) {
        s.done = true;
        return 'take';
      }
      return 'end';
    },
    finish: (s) => s.rows.map((r) => (s.fixable ? { ...r, data: { ...r.data, fixableInRun: 'true' } } : r)),
    maxLines: 100_000,
  },
);
