// Shells and core utilities: command not found, permission denied, missing files.
import { lineDetector, type Found } from '../detector';
import { Category } from '../categories';

const NOT_FOUND = [
  /^(?:[\w./-]+): (?:line \d+: )?([^\s:]+): command not found$/, // bash, heal
  /^(?:sh|dash|\/bin\/sh): \d+: ([^\s:]+): not found$/, // dash
  /^zsh: command not found: (\S+)$/,
  /^fish: Unknown command:? '?([^\s']+)'?$/,
];
const DENIED = /^(?:[\w./-]+): (?:line \d+: )?(.+?): Permission denied$/;
const NO_FILE = /^([\w.-]+): (?:cannot (?:access|open|stat) )?'?([^':][^:]*?)'?: No such file or directory$/;

export const shellDetector = lineDetector('shell', /command not found|: not found$|Unknown command|Permission denied$|No such file or directory$/, (line): Found | null | undefined => {
  for (const re of NOT_FOUND) {
    const m = re.exec(line);
    if (m) return { tool: 'shell', category: Category.commandNotFound, severity: 'error', message: line, data: { command: m[1] } };
  }
  let m = DENIED.exec(line);
  if (m) return { tool: 'shell', category: Category.permissionDenied, severity: 'error', message: line, data: { path: m[1] } };
  m = NO_FILE.exec(line);
  if (m) return { tool: 'shell', category: Category.fileNotFound, severity: 'error', message: line, data: { command: m[1], path: m[2] } };
  return undefined;
});
