// npm, pnpm and yarn: one event per npm error block (`npm error code E404` … `A complete log …`), per pnpm
// `ERR_PNPM_…` block, per yarn classic `error …` line and per yarn berry (`➤ YN0000: …`) report.
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
  if (m)
    return { ...base, category: Category.missingScript, message: `Missing script: "${m[1]}"`, data: { script: m[1] } };
  m =
    /404 Not Found - GET \S*\/((?:@[^/\s]+\/)?[^/\s]+?)(?:\/-\/\S*)?$/m.exec(text) ??
    /404 +'((?:@[^/\s]+\/)?[^@'\s]+)@[^']*' is not in this registry/.exec(text);
  if (m || code === 'E404') {
    const pkg = m ? decodeURIComponent(m[1]) : undefined;
    return {
      ...base,
      category: Category.packageNotFound,
      message: body.find((l) => /404 Not Found/.test(l)) ?? body[0],
      data: { code: 'E404', ...(pkg ? { package: pkg } : {}) },
    };
  }
  m = /Could not read package\.json: Error: ENOENT: no such file or directory, open '([^']+)'/.exec(text);
  if (m)
    return {
      ...base,
      category: Category.fileNotFound,
      message: `Could not read package.json: no such file ${m[1]}`,
      data: { code: 'ENOENT', path: m[1] },
    };
  if (code === 'ERESOLVE')
    return {
      ...base,
      category: Category.installFailed,
      message:
        body.find((l) => /unable to resolve dependency tree|ERESOLVE/.test(l) && !/^code /.test(l)) ??
        'ERESOLVE could not resolve',
      data: { code },
    };
  m = /Lifecycle script `([^`]+)` failed|command failed|code ELIFECYCLE/.exec(text);
  if (m)
    return {
      ...base,
      category: Category.installFailed,
      message: body.find((l) => !/^code |^path |^errno /.test(l)) ?? body[0],
      data: { ...(code ? { code } : {}), ...(m[1] ? { script: m[1] } : {}) },
    };
  const message = body.find((l) => !/^code |^path |^errno |^syscall |^$/.test(l)) ?? body[0];
  return { ...base, category: code === 'ENOENT' ? Category.fileNotFound : Category.installFailed, message };
}

export const npmDetector = blockDetector<true>('npm', /^npm (?:error|ERR!)/, {
  begin: (line) => (NPM_LINE.test(line) ? true : undefined),
  next: (_s, line) => (NPM_LINE.test(line) ? 'take' : 'end'),
  finish: (_s, lines) => classify(lines),
});

// ---- pnpm ----------------------------------------------------------------------------------------------------

interface PnpmState {
  kind: 'error' | 'summary' | 'peer-warning';
  code?: string;
  message: string;
}

/** Lines pnpm prints under an error or warning header: details, the peer tree, hints. */
const PNPM_DETAIL =
  /^$|^\s|^[.└├│┬─✕]|^hint: |^Exit status \d+$|^This error happened while |is not in the npm registry, or you have no permission|^No authorization header was set|^An authorization header was used|^Note that in CI environments|^Command "[^"]+" not found\. Did you mean /;

/** The first unmet peer in pnpm's tree: `└─┬ react-dom 18.3.1` then `  └── ✕ unmet peer react@^18.3.1: found 17.0.2`. */
function unmetPeer(lines: string[]): Record<string, string> {
  let parent: string | undefined;
  for (const line of lines) {
    const m = /✕ (?:unmet|missing) peer (\S+?)(?:: found (\S+))?$/.exec(line);
    if (m) return { ...(parent ? { package: parent } : {}), peer: m[1], ...(m[2] ? { found: m[2] } : {}) };
    const p = /^[\s│]*[└├]─[┬─] (\S+) (\S+)$/.exec(line);
    if (p) parent = `${p[1]}@${p[2]}`;
  }
  return {};
}

function pnpmFinish(s: PnpmState, lines: string[]): Found | undefined {
  // A failed script's summary: the script's own tool reports the error, so one failure stays one event.
  if (s.kind === 'summary') return undefined;
  if (s.kind === 'peer-warning') {
    const peer = unmetPeer(lines);
    return {
      tool: 'pnpm',
      category: Category.peerDependency,
      severity: 'warning',
      message: peer.peer
        ? `Issues with peer dependencies found: unmet peer ${peer.peer}${peer.found ? ` (found ${peer.found})` : ''}`
        : 'Issues with peer dependencies found',
      data: peer,
    };
  }
  const code = `ERR_PNPM_${s.code}`;
  const base = { tool: 'pnpm', severity: 'error' as const, message: s.message };
  const script = /Missing script:? "?([^"\s]+)"?/.exec(s.message)?.[1];
  if (script) return { ...base, category: Category.missingScript, data: { code, script } };
  if (s.code === 'FETCH_404') {
    const pkg = /GET \S*\/((?:@[^/\s]+(?:\/|%2[fF]))?[^/\s:]+):/.exec(s.message)?.[1];
    return {
      ...base,
      category: Category.packageNotFound,
      data: { code, ...(pkg ? { package: decodeURIComponent(pkg) } : {}) },
    };
  }
  let m = /^No package\.json (?:\(.*?\) )?(?:was )?found in "?(.+?)"?\.?$/.exec(s.message);
  if (m)
    return {
      ...base,
      category: Category.fileNotFound,
      data: { code, path: `${m[1].replace(/\/$/, '')}/package.json` },
    };
  m = /^Command "([^"]+)" not found/.exec(s.message);
  if (m) return { ...base, category: Category.commandNotFound, data: { code, command: m[1] } };
  if (s.code === 'RECURSIVE_RUN_FIRST_FAIL') return undefined;
  if (s.code === 'PEER_DEP_ISSUES') {
    const peer = unmetPeer(lines);
    return {
      ...base,
      category: Category.installFailed,
      message: peer.peer
        ? `Unmet peer dependencies: ${peer.peer}${peer.found ? ` (found ${peer.found})` : ''}`
        : s.message,
      data: { code, ...peer },
    };
  }
  if (s.code === 'OUTDATED_LOCKFILE' || s.code === 'LOCKFILE_CONFIG_MISMATCH')
    return { ...base, category: Category.installFailed, data: { code, lockfile: 'outdated' } };
  return { ...base, category: Category.installFailed, data: { code } };
}

/** pnpm: ` ERR_PNPM_CODE  message` and the detail lines under it; `ELIFECYCLE` summaries; peer warnings (pnpm pads its badges with thin spaces, U+2009). */
export const pnpmDetector = blockDetector<PnpmState>(
  'pnpm',
  /ERR_PNPM_|ELIFECYCLE|Issues with peer dependencies found/,
  {
    begin: (line) => {
      const t = line.trim();
      let m = /^ERR_PNPM_(\w+)\s+(.*)$/.exec(t);
      if (m) return { kind: 'error', code: m[1], message: m[2] };
      if ((m = /^ELIFECYCLE\s+(Command failed.*)$/.exec(t))) return { kind: 'summary', message: m[1] };
      if (/^WARN\s+Issues with peer dependencies found/.test(t)) return { kind: 'peer-warning', message: t };
      return undefined;
    },
    next: (s, line) => (s.kind !== 'summary' && PNPM_DETAIL.test(line) ? 'take' : 'end'),
    finish: pnpmFinish,
    maxLines: 60,
  },
);

// ---- yarn classic (1.x) ---------------------------------------------------------------------------------------

const YARN_CLASSIC: Array<[RegExp, (m: RegExpExecArray, line: string) => Found | null]> = [
  [
    /^error Command "([^"]+)" not found\.?$/,
    (m, line) => ({
      tool: 'yarn',
      category: Category.missingScript,
      severity: 'error',
      message: line,
      data: { script: m[1] },
    }),
  ],
  [
    /^Usage Error: Couldn't find a script named "([^"]+)"/,
    (m, line) => ({
      tool: 'yarn',
      category: Category.missingScript,
      severity: 'error',
      message: line,
      data: { script: m[1] },
    }),
  ],
  [
    /^error Couldn't find package "((?:@[^/"]+\/)?[^@"]+)(?:@[^"]*)?"(?: required by "([^"]+)")? on the "([^"]+)" registry\.?$/,
    (m, line) => ({
      tool: 'yarn',
      category: Category.packageNotFound,
      severity: 'error',
      message: line.replace(/^error /, ''),
      data: { package: m[1], registry: m[3], ...(m[2] ? { requiredBy: m[2] } : {}) },
    }),
  ],
  [
    /^error Couldn't find any versions for "([^"]+)" that matches "([^"]*)" in our cache/,
    (m) => ({
      tool: 'yarn',
      category: Category.installFailed,
      severity: 'error',
      message: `Couldn't find any versions for "${m[1]}" that matches "${m[2]}" in the offline cache`,
      data: { package: m[1], offline: 'true' },
    }),
  ],
  [
    /^error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`/,
    (_m, line) => ({
      tool: 'yarn',
      category: Category.installFailed,
      severity: 'error',
      message: line.replace(/^error /, ''),
      data: { lockfile: 'outdated' },
    }),
  ],
  // A failed script's summary: the script's own tool reports the error.
  [/^error Command failed with exit code \d+\.?$/, () => null],
  [
    /^error An unexpected error occurred: "(.*)"\.?$/,
    (m, line) => {
      const pkg = /^https?:\/\/\S+?\/((?:@[^/\s]+(?:\/|%2[fF]))?[^/\s:]+): Not found$/i.exec(m[1])?.[1];
      return pkg
        ? {
            tool: 'yarn',
            category: Category.packageNotFound,
            severity: 'error',
            message: line.replace(/^error /, ''),
            data: { package: decodeURIComponent(pkg) },
          }
        : { tool: 'yarn', category: Category.installFailed, severity: 'error', message: line.replace(/^error /, '') };
    },
  ],
  [
    /^warning "([^"]*?) > ([^"]+)" has (?:incorrect|unmet) peer dependency "([^"]+)"\.?$/,
    (m, line) => ({
      tool: 'yarn',
      category: Category.peerDependency,
      severity: 'warning',
      message: line.replace(/^warning /, ''),
      data: { package: m[2], peer: m[3] },
    }),
  ],
];

export const yarnDetector = lineDetector(
  'yarn',
  /^error |^Usage Error: Couldn't find a script|^warning "[^"]* > /,
  (line, _n, context): Found | null | undefined => {
    for (const [re, make] of YARN_CLASSIC) {
      const m = re.exec(line);
      if (m) return make(m, line);
    }
    // Any other `error …` line is yarn's only when yarn ran (other tools print `error …` too).
    const m = /^error (.{3,})$/.exec(line);
    if (m && context.commandLine && /(?:^|[\s/])yarn(?:pkg)?(?:\s|$)/.test(context.commandLine))
      return { tool: 'yarn', category: Category.installFailed, severity: 'error', message: m[1] };
    return undefined;
  },
);

// ---- yarn berry (2+) ------------------------------------------------------------------------------------------

const BERRY_LINE = /^(?:➤ )?YN(\d{4}): (?:[│┌└·] ?)?(.*)$/;

function berryFinish(lines: string[]): Found[] {
  const out: Found[] = [];
  const seen = new Set<string>();
  const add = (f: Found) => {
    const key = `${f.category}\0${f.data?.package ?? f.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(f);
  };
  let failed = false;
  let firstProblem: string | undefined;
  let notFound: { code: string; message: string; package?: string } | undefined;
  for (const line of lines) {
    if (/Errors happened when preparing the environment|^(?:➤ )?YN0000: · Failed with errors/.test(line)) failed = true;
    const m = BERRY_LINE.exec(line);
    if (!m) continue;
    const [, code, text] = m;
    const yn = `YN${code}`;
    let d: RegExpExecArray | null;
    if (code === '0027' && (d = /^((?:@[^/\s]+\/)?[^@\s]+)@\S* can't be resolved to a satisfying range/.exec(text)))
      notFound ??= { code: yn, message: text, package: d[1] };
    else if (code === '0035' && (d = /^((?:@[^/\s]+\/)?[^@\s]+)@\S*: Package not found$/.exec(text)))
      notFound ??= { code: yn, message: text, package: d[1] };
    else if (code === '0035' && /^Package not found$/.test(text)) notFound ??= { code: yn, message: text };
    else if (
      code === '0035' &&
      (d = /^\s*Request URL: \S+\/((?:@[^/\s]+(?:\/|%2[fF]))?[^/\s]+)$/.exec(text)) &&
      notFound &&
      !notFound.package
    )
      notFound.package = decodeURIComponent(d[1]);
    else if (code === '0028' && /lockfile would have been modified by this install/.test(text))
      add({
        tool: 'yarn',
        category: Category.installFailed,
        severity: 'error',
        message: text,
        data: { code: yn, lockfile: 'outdated' },
      });
    else if (code === '0009' && (d = /^((?:@[^/\s]+\/)?[^@\s]+)@\S+ couldn't be built successfully/.exec(text)))
      add({
        tool: 'yarn',
        category: Category.installFailed,
        severity: 'error',
        message: text.replace(/, logs can be found here: .*\)$/, ')'),
        data: { code: yn, package: d[1] },
      });
    else if (
      code === '0060' &&
      (d =
        /^(\S+) is listed by your project with version (\S+) \(\w+\), which doesn't satisfy what (\S+) requests \(([^)]+)\)/.exec(
          text,
        ))
    )
      add({
        tool: 'yarn',
        category: Category.peerDependency,
        severity: 'warning',
        message: text.replace(/ \(p\w{6}\)/, ''),
        data: { code: yn, package: d[3], peer: `${d[1]}@${d[4]}`, found: d[2] },
      });
    else if (
      code === '0002' &&
      (d =
        /^((?:@[^/\s]+\/)?[^@\s]+)@\S+ doesn't provide (\S+?)(?: \(\w+\))?, requested by ((?:@[^/\s]+\/)?[^@\s]+)@/.exec(
          text,
        ))
    )
      add({
        tool: 'yarn',
        category: Category.peerDependency,
        severity: 'warning',
        message: text.replace(/ \(p\w{6}\)/, ''),
        data: { code: yn, package: d[3], peer: d[2] },
      });
    else if (code === '0001')
      add({ tool: 'yarn', category: Category.installFailed, severity: 'error', message: text, data: { code: yn } });
    else if (code !== '0000' && code !== '0086' && code !== '0085' && code !== '0013' && !firstProblem)
      firstProblem = `${yn}: ${text}`;
  }
  if (notFound)
    add({
      tool: 'yarn',
      category: Category.packageNotFound,
      severity: 'error',
      message: notFound.message,
      data: { code: notFound.code, ...(notFound.package ? { package: notFound.package } : {}) },
    });
  if (failed && !out.some((f) => f.severity === 'error'))
    add({
      tool: 'yarn',
      category: Category.installFailed,
      severity: 'error',
      message: firstProblem ?? 'Failed with errors',
    });
  return out;
}

/** yarn berry: a run of `➤ YN…` lines is one report; its errors and peer warnings become events. */
export const yarnBerryDetector = blockDetector<true>('yarn-berry', /YN\d{4}: |^➤ Errors happened/, {
  begin: (line) => (BERRY_LINE.test(line) || /^➤ Errors happened/.test(line) ? true : undefined),
  next: (_s, line) => (line === '' || /^➤ /.test(line) || BERRY_LINE.test(line) ? 'take' : 'end'),
  finish: (_s, lines) => berryFinish(lines),
  // A long install is several blocks; each is classified on its own (blocks keep their lines: bounded memory).
  maxLines: 400,
});
