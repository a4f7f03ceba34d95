// gcc/clang, the linker and make.
import { lineDetector, type Found } from '../detector';
import { Category } from '../categories';

const DIAGNOSTIC = /^([^\s:]+):(\d+):(\d+): (fatal error|error|warning): (.+)$/;

export const ccDetector = lineDetector(
  'cc',
  /: (?:fatal error|error|warning): |undefined reference to |^collect2: |^make(?:\[\d+\])?: \*\*\*|^\/usr\/bin\/ld: |^ld: /,
  (line): Found | null | undefined => {
    let m = DIAGNOSTIC.exec(line);
    if (m) {
      const [, file, ln, col, level, message] = m;
      const base = {
        tool: 'cc',
        severity: level === 'warning' ? ('warning' as const) : ('error' as const),
        message,
        file,
        line: Number(ln),
        column: Number(col),
      };
      const header = /^([^\s:]+\.h(?:pp)?): No such file or directory$/.exec(message);
      if (header) return { ...base, category: Category.fileNotFound, data: { header: header[1], path: header[1] } };
      const undeclared =
        /[‘'`]([^’'`]+)[’'`] undeclared|use of undeclared identifier '([^']+)'|implicit declaration of function [‘'`]([^’'`]+)/.exec(
          message,
        );
      if (undeclared)
        return {
          ...base,
          category: Category.nameNotFound,
          data: { name: undeclared[1] ?? undeclared[2] ?? undeclared[3] },
        };
      return { ...base, category: Category.compileError };
    }
    if ((m = /undefined reference to [`'‘]([^'’`]+)['’`]/.exec(line)))
      return {
        tool: 'ld',
        category: Category.linkError,
        severity: 'error',
        message: `undefined reference to '${m[1]}'`,
        data: { symbol: m[1] },
      };
    if ((m = /^ld: (?:error: )?undefined symbol: (\S+)|Undefined symbols for architecture/.exec(line)))
      return {
        tool: 'ld',
        category: Category.linkError,
        severity: 'error',
        message: line,
        data: m[1] ? { symbol: m[1] } : undefined,
      };
    if (/^\/usr\/bin\/ld: cannot find -l(\S+)/.test(line))
      return {
        tool: 'ld',
        category: Category.linkError,
        severity: 'error',
        message: line.replace(/^\/usr\/bin\/ld: /, ''),
        data: { library: /-l(\S+)/.exec(line)![1] },
      };
    // Summaries of errors reported above them.
    if (/^collect2: |^make(?:\[\d+\])?: \*\*\*|^\/usr\/bin\/ld: /.test(line)) return null;
    return undefined;
  },
);
