// Shells and core utilities: command not found, permission denied, bad interpreters, missing files, full disks.
import { lineDetector, type Found } from '../detector';
import { Category } from '../categories';

/** `bash: `, `bash: line 3: `, `./run.sh: line 3: `, `zsh: `, `zsh:1: ` (zsh -c and scripts add the line). */
const NOT_FOUND = [
  /^(?:[\w./-]+): (?:line \d+: )?([^\s:]+): command not found$/, // bash, heal
  /^(?:sh|dash|\/bin\/sh): \d+: ([^\s:]+): not found$/, // dash
  /^zsh(?::\d+)?: command not found: (\S+)$/,
  /^fish: Unknown command:? '?([^\s']+)'?$/,
];
// `bash: ./x.sh: /bin/nonexistent: bad interpreter: No such file or directory` (bash ≤ 5.0, and later bash for errors
// other than ENOENT) and `zsh: ./x.sh: bad interpreter: /bin/nonexistent: no such file or directory`. Parsed with indexOf,
// not a regex with two lazy groups, so a hostile line cannot make matching quadratic.
const SHELL_PREFIX = /^(?:zsh(?::\d+)?|[\w./-]+): (?:line \d+: )?/;
// bash ≥ 5.1 when execve fails with ENOENT on a file that exists (missing #! interpreter or ELF loader).
const REQUIRED_FILE = /^(?:[\w./-]+): (?:line \d+: )?(.+?): cannot execute: required file not found$/;
const DENIED = /^(?:[\w./-]+): (?:line \d+: )?(.+?): Permission denied$/;
const DENIED_ZSH = /^zsh(?::\d+)?: permission denied: (.+)$/;
const NO_FILE =
  /^([\w.-]+): (?:cannot (?:access|open|stat|touch|create directory|remove) )?['‘]?([^'‘’:][^:]*?)['’]?: No such file or directory$/;
// `cp: error writing 'x'`, `touch: cannot touch 'b'`, `mkdir: cannot create directory ‘build’`, `tar: /dev/full: Cannot write`,
// `bash: line 1: echo: write error`, `fatal: cannot mkdir repo`. Lines starting with `Error:`/`OSError:` are left to
// the node and python detectors (their stack traces follow).
const NO_SPACE = /^([a-z][\w.+-]*): (?:line \d+: )?(.+?): [Nn]o space left on device$/;

function quoted(text: string): string | undefined {
  return /['‘`]([^'’`]+)['’`]/.exec(text)?.[1];
}

function badInterpreter(line: string): Found | undefined {
  const marker = ': bad interpreter: ';
  const at = line.indexOf(marker);
  const prefix = SHELL_PREFIX.exec(line);
  if (at === -1 || !prefix || at < prefix[0].length) return undefined;
  const before = line.slice(prefix[0].length, at);
  const after = line.slice(at + marker.length);
  let path: string;
  let interpreter: string;
  let reason: string;
  if (line.startsWith('zsh')) {
    // zsh: <script>: bad interpreter: <interpreter>: <reason>
    const colon = after.lastIndexOf(': ');
    if (colon === -1) return undefined;
    path = before;
    interpreter = after.slice(0, colon);
    reason = after.slice(colon + 2);
  } else {
    // bash: <script>: <interpreter>: bad interpreter: <reason>
    const colon = before.lastIndexOf(': ');
    if (colon === -1) return undefined;
    path = before.slice(0, colon);
    interpreter = before.slice(colon + 2);
    reason = after;
  }
  if (!path || !interpreter) return undefined;
  return interpreterError(line, path, interpreter, reason);
}

function interpreterError(line: string, path: string, interpreter?: string, reason?: string): Found {
  const crlf = interpreter !== undefined && /(?:\^M|\r)$/.test(interpreter);
  return {
    tool: 'shell',
    category: Category.badInterpreter,
    severity: 'error',
    message: line,
    data: {
      path,
      ...(interpreter ? { interpreter: interpreter.replace(/(?:\^M|\r)$/, '') } : {}),
      ...(reason ? { reason } : {}),
      ...(crlf ? { crlf: 'true' } : {}),
    },
  };
}

export const shellDetector = lineDetector(
  'shell',
  /command not found|: not found$|Unknown command|Permission denied$|permission denied: |No such file or directory$|bad interpreter: |cannot execute: required file not found|o space left on device$/,
  (line): Found | null | undefined => {
    for (const re of NOT_FOUND) {
      const m = re.exec(line);
      if (m)
        return {
          tool: 'shell',
          category: Category.commandNotFound,
          severity: 'error',
          message: line,
          data: { command: m[1] },
        };
    }
    const bad = line.includes(': bad interpreter: ') ? badInterpreter(line) : undefined;
    if (bad) return bad;
    let m = REQUIRED_FILE.exec(line);
    if (m) return interpreterError(line, m[1]);
    if ((m = DENIED_ZSH.exec(line) ?? DENIED.exec(line)))
      return {
        tool: 'shell',
        category: Category.permissionDenied,
        severity: 'error',
        message: line,
        data: { path: m[1] },
      };
    if ((m = NO_FILE.exec(line)))
      return {
        tool: 'shell',
        category: Category.fileNotFound,
        severity: 'error',
        message: line,
        data: { command: m[1], path: m[2] },
      };
    if ((m = NO_SPACE.exec(line))) {
      const command = m[1] === 'fatal' || m[1] === 'error' ? undefined : m[1];
      const path = quoted(m[2]) ?? /^(\/\S*): /.exec(m[2])?.[1];
      return {
        tool: 'shell',
        category: Category.noSpace,
        severity: 'error',
        message: line,
        data: { kind: 'disk', code: 'ENOSPC', ...(command ? { command } : {}), ...(path ? { path } : {}) },
      };
    }
    return undefined;
  },
);
