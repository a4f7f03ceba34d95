// npm, pnpm and yarn: one event per npm error block (`npm error code E404` … `A complete log …`).
import { blockDetector, type Found } from '../block';
import { lineDetector } from '../detector';
import { Category } from '../categories';

const NPM_LINE = /^npm (?:error|ERR!) ?(.*)$/;

function classify(lines: string[]): Found | undefined {
  const body = lines.map((l) => NPM_LINE.exec(l)?.[1] ?? '').filter((l) => l && !/^A complete log of this run/.test(l));
  if (body.length === 0) return undefined;
  const code = body.map((l) => /^code (\S+)/.exec(l)?.[1]).find(Boolean);
  const base = { tool: 'npm', severity: 'error' as const, data: code ? { code } : undefined };
  const text = body.join('\n');
  let m = /Missing script: "?([^"\s]+)"?/.exec(text);
  if (m) return { ...base, category: Category.missingScript, message: `Missing script: "${m[1]}"`, data: { script: m[1] } };
  m = /404 Not Found - GET \S*\/((?:@[^/\s]+\/)?[^/\s]+?)(?:\/-\/\S*)?$/m.exec(text) ?? /404 +'((?:@[^/\s]+\/)?[^@'\s]+)@[^']*' is not in this registry/.exec(text);
  if (m || code === 'E404') {
    const pkg = m ? decodeURIComponent(m[1]) : undefined;
    return { ...base, category: Category.packageNotFound, message: body.find((l) => /404 Not Found/.test(l)) ?? body[0], data: { code: 'E404', ...(pkg ? { package: pkg } : {}) } };
  }
  m = /Could not read package\.json: Error: ENOENT: no such file or directory, open '([^']+)'/.exec(text);
  if (m) return { ...base, category: Category.fileNotFound, message: `Could not read package.json: no such file ${m[1]}`, data: { code: 'ENOENT', path: m[1] } };
  if (code === 'ERESOLVE') return { ...base, category: Category.installFailed, message: body.find((l) => /unable to resolve dependency tree|ERESOLVE/.test(l) && !/^code /.test(l)) ?? 'ERESOLVE could not resolve', data: { code } };
  m = /Lifecycle script `([^`]+)` failed|command failed|code ELIFECYCLE/.exec(text);
  if (m) return { ...base, category: Category.installFailed, message: body.find((l) => !/^code |^path |^errno /.test(l)) ?? body[0], data: { ...(code ? { code } : {}), ...(m[1] ? { script: m[1] } : {}) } };
  const message = body.find((l) => !/^code |^path |^errno |^syscall |^$/.test(l)) ?? body[0];
  return { ...base, category: code === 'ENOENT' ? Category.fileNotFound : Category.installFailed, message };
}

export const npmDetector = blockDetector<true>('npm', /^npm (?:error|ERR!)/, {
  begin: (line) => (NPM_LINE.test(line) ? true : undefined),
  next: (_s, line) => (NPM_LINE.test(line) ? 'take' : 'end'),
  finish: (_s, lines) => classify(lines),
});

/** pnpm (`ERR_PNPM_…`) and yarn (classic `error …`, berry `Usage Error`/`YN0000`). */
export const pnpmYarnDetector = lineDetector('pnpm', /ERR_PNPM_|^error Command "|^Usage Error: Couldn't find a script|^error An unexpected error|YN\d{4}: .*(?:Error|error|failed)/, (line): Found | null | undefined => {
  let m = /^ (?:ERR_PNPM_(\w+))\s+(.*)$/.exec(' ' + line.trim());
  if (m) {
    const script = /Missing script:? "?([^"\s]+)"?/.exec(m[2])?.[1];
    const pkg = m[1] === 'FETCH_404' ? /GET \S*\/((?:@[^/\s]+\/)?[^/\s]+):/.exec(m[2])?.[1] : undefined;
    const category = script ? Category.missingScript : pkg !== undefined || m[1] === 'FETCH_404' ? Category.packageNotFound : Category.installFailed;
    return { tool: 'pnpm', category, severity: 'error', message: m[2], data: { code: `ERR_PNPM_${m[1]}`, ...(script ? { script } : {}), ...(pkg ? { package: decodeURIComponent(pkg) } : {}) } };
  }
  m = /^error Command "([^"]+)" not found\.?$/.exec(line) ?? /^Usage Error: Couldn't find a script named "([^"]+)"/.exec(line);
  if (m) return { tool: 'yarn', category: Category.missingScript, severity: 'error', message: line, data: { script: m[1] } };
  if (/^error An unexpected error/.test(line) || /YN\d{4}: /.test(line)) return { tool: 'yarn', category: Category.installFailed, severity: 'error', message: line.replace(/^.*?YN\d{4}: /, '') };
  return undefined;
});
