// Safety classes for fixes. Commands are parsed with a real shell parser so quoting, `&&`, pipes, subshells,
// `$(…)` and wrappers (`env`, `sudo`, `xargs`, `sh -c`, `eval`) are seen through.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import parse from '@ericcornelissen/bash-parser';
import type { Fix, TextEdit } from '../fix';

export type Safety = 'safe' | 'review' | 'dangerous';

export interface SafetyVerdict {
  safety: Safety;
  reasons: string[];
}

interface SimpleCommand {
  argv: string[];
  /** Redirect targets written by this command (`>`/`>>`). */
  writes: string[];
  /** Part of a pipeline after another command (receives its output on stdin). */
  pipedFrom?: string;
}

type Node = { type?: string; [key: string]: unknown };

/** Removes shell quoting from a word as written (`"$HOME"` → `$HOME`, `'a b'` → `a b`). */
function unquote(word: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < word.length; i++) {
    const ch = word[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < word.length) out += word[++i];
      else out += ch;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '\\' && i + 1 < word.length) out += word[++i];
    else out += ch;
  }
  return out;
}

function wordText(node: unknown): string {
  return typeof node === 'object' && node !== null && typeof (node as Node).text === 'string'
    ? unquote((node as Node).text as string)
    : '';
}

/** Collects every simple command in the tree, including those inside `$(…)`, subshells and functions. */
function collect(node: unknown, out: SimpleCommand[], functions: Map<string, unknown>, pipedFrom?: string): void {
  if (Array.isArray(node)) {
    for (const n of node) collect(n, out, functions, pipedFrom);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as Node;
  if (n.type === 'Pipeline' && Array.isArray(n.commands)) {
    let previous: string | undefined;
    for (const c of n.commands as Node[]) {
      collect(c, out, functions, previous);
      previous = wordText((c as Node).name) || (c as Node).type || previous;
    }
    return;
  }
  if (n.type === 'Function') functions.set(wordText(n.name), n.body);
  if (n.type === 'Command') {
    const argv: string[] = [];
    const writes: string[] = [];
    const name = wordText(n.name);
    for (const part of [...((n.prefix as Node[]) ?? []), ...(name ? [n.name] : []), ...((n.suffix as Node[]) ?? [])]) {
      const p = part as Node;
      if (p.type === 'Redirect') {
        const op = (p.op as Node)?.text;
        const file = wordText(p.file);
        if (
          op === '>' ||
          op === '>>' ||
          op === '>|' ||
          op === '&>' ||
          op === '<>' ||
          (op === '>&' && !/^(?:\d+|-)$/.test(file))
        )
          writes.push(file);
      } else if (p.type === 'AssignmentWord') {
        if (argv.length > 0) argv.push(unquote(String(p.text)));
      } else if (p.type === 'Word') argv.push(wordText(p));
    }
    // A bare redirection (`> file`) runs no program but still truncates the file.
    if (argv.length > 0 || writes.length > 0) out.push({ argv, writes, pipedFrom });
  }
  for (const [key, value] of Object.entries(n)) {
    if (key === 'loc') continue;
    if (key === 'commandAST') collect(value, out, functions);
    else if (typeof value === 'object') collect(value, out, functions, n.type === 'Command' ? undefined : pipedFrom);
  }
}

function parseCommands(command: string): { commands: SimpleCommand[]; functions: Map<string, unknown> } | undefined {
  try {
    const commands: SimpleCommand[] = [];
    const functions = new Map<string, unknown>();
    collect(parse(command), commands, functions);
    return { commands, functions };
  } catch {
    return undefined;
  }
}

const PRIVILEGE = new Set(['sudo', 'doas', 'su', 'pkexec', 'runas']);
/** Programs that run another program: the options of theirs that take a value, and leading operands to skip. */
const WRAPPER_OPTIONS: Record<string, { valued: string[]; positional?: number }> = {
  env: { valued: ['-u', '--unset', '-C', '--chdir'] },
  nice: { valued: ['-n', '--adjustment'] },
  ionice: { valued: ['-c', '--class', '-n', '--classdata', '-p', '-P', '-u'] },
  stdbuf: { valued: ['-i', '-o', '-e'] },
  nohup: { valued: [] },
  time: { valued: ['-f', '--format', '-o', '--output'] },
  command: { valued: [] },
  exec: { valued: ['-a'] },
  builtin: { valued: [] },
  chronic: { valued: [] },
  unbuffer: { valued: [] },
  timeout: { valued: ['-s', '--signal', '-k', '--kill-after'], positional: 1 },
  xargs: {
    valued: [
      '-I',
      '-i',
      '-n',
      '--max-args',
      '-P',
      '--max-procs',
      '-L',
      '-l',
      '-d',
      '--delimiter',
      '-a',
      '--arg-file',
      '-E',
      '-e',
      '-s',
    ],
  },
  sudo: {
    valued: [
      '-u',
      '--user',
      '-g',
      '--group',
      '-C',
      '-h',
      '--host',
      '-p',
      '--prompt',
      '-U',
      '-r',
      '-t',
      '-D',
      '--chdir',
    ],
  },
  doas: { valued: ['-u', '-C'] },
  su: { valued: ['-g', '-G', '-s', '--shell'] },
  pkexec: { valued: ['--user'] },
  runas: { valued: [] },
};

/** Interpreters' options that run code given on the command line. */
const INLINE_CODE: Record<string, string[]> = {
  python: ['-c'],
  python3: ['-c'],
  node: ['-e', '--eval', '-p', '--print'],
  perl: ['-e', '-E'],
  ruby: ['-e'],
  php: ['-r'],
};
/** git's global options that take a value (before the subcommand). */
const GIT_VALUED_OPTIONS = ['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env'];

/** Drops leading options (and the values of those that take one) up to the wrapped program. */
function skipOptions(args: string[], valued: string[]): string[] {
  let i = 0;
  while (i < args.length && args[i].startsWith('-') && args[i] !== '-') {
    if (args[i] === '--') return args.slice(i + 1);
    if (valued.includes(args[i])) i++;
    i++;
  }
  return args.slice(i);
}
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'fish', 'ash', 'csh', 'tcsh']);
/** Programs that run code: a shell or a script interpreter. */
const isInterpreter = (program: string) =>
  SHELLS.has(program) ||
  /^(?:python[0-9.]*|pypy[0-9.]*|node|nodejs|deno|bun|perl[0-9.]*|ruby|irb|php[0-9.]*|lua[0-9.]*|luajit|Rscript|pwsh|powershell|osascript|tclsh|wish|julia|groovy)$/.test(
    program,
  );
const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'iwr', 'irm', 'Invoke-WebRequest']);
/** Per interpreter: options that take a value, and those whose value is the code to run (or a module). */
const INTERPRETER_OPTIONS: Array<[RegExp, { valued: string[]; code: string[] }]> = [
  [
    /^(?:sh|bash|zsh|dash|ksh|mksh|fish|ash|csh|tcsh)$/,
    { valued: ['-o', '+o', '-O', '+O', '--rcfile', '--init-file'], code: ['-c'] },
  ],
  [/^(?:python|pypy)/, { valued: ['-W', '-X', '-Q'], code: ['-c', '-m'] }],
  [
    /^(?:node|nodejs)$/,
    {
      valued: [
        '-r',
        '--require',
        '--import',
        '--loader',
        '--experimental-loader',
        '-C',
        '--conditions',
        '--input-type',
        '--env-file',
      ],
      code: ['-e', '--eval', '-p', '--print'],
    },
  ],
  [/^perl/, { valued: ['-I', '-M', '-m', '-x'], code: ['-e', '-E'] }],
  [/^ruby$|^irb$/, { valued: ['-I', '-r', '-C', '-E', '--encoding'], code: ['-e'] }],
  [/^php/, { valued: ['-d', '-c', '-z'], code: ['-r', '-f'] }],
];

/** Whether an interpreter reads the code it runs from stdin (no script file, no inline code). */
function readsCodeFromStdin(program: string, args: string[]): boolean {
  const spec = INTERPRETER_OPTIONS.find(([re]) => re.test(program))?.[1] ?? { valued: [], code: ['-c', '-e'] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-' || a === '/dev/stdin') return true;
    if (a === '--') return args[i + 1] === undefined || args[i + 1] === '-' || args[i + 1] === '/dev/stdin';
    if (!a.startsWith('-') && !a.startsWith('+'))
      return program === 'deno' || program === 'bun' ? args.slice(i + 1).some((x) => x === '-') : false;
    if (spec.code.includes(a.replace(/=.*$/, ''))) return false;
    // Clustered short options of a shell: `-xc` runs inline code, `-s` reads stdin.
    if (SHELLS.has(program) && /^-[a-zA-Z]+$/.test(a)) {
      if (a.includes('c')) return false;
      if (a.includes('s')) return true;
    }
    if (spec.valued.includes(a)) i++;
  }
  return true;
}

/** Short options as a set of letters (`-rf` → r, f), long options as words. */
function hasFlag(args: string[], short: string, long: string[] = []): boolean {
  return args.some((a) =>
    a.startsWith('--')
      ? long.includes(a.replace(/=.*$/, ''))
      : a.startsWith('-') && a.length > 1 && [...a.slice(1)].some((c) => short.includes(c)),
  );
}

const isSystemPath = (p: string) =>
  /^(?:\/|\/\*|~|~\/|~\/\*|\$HOME\/?\*?|\$\{HOME\}|\.\.|\.\.\/.*|\*|\/(?:bin|boot|dev|etc|lib|lib64|opt|proc|root|sbin|sys|usr|var|home|Users)(?:\/.*)?)$/.test(
    p,
  ) || p.includes('$');

interface Verdicts {
  dangerous: string[];
  review: string[];
  safe: boolean;
  /** When set, collects the paths inside the workspace the command writes (absolute, links not resolved). */
  inside?: Set<string>;
}

/** Where a command runs, for the scope of what it writes. Defaults: the process's cwd and home. */
export interface CommandContext {
  /** Writes outside this folder are dangerous. */
  workspaceRoot?: string;
  /** Where the command starts (default: the workspace root). */
  cwd?: string;
  /** What `~` and `$HOME` mean (default: the user's home). */
  home?: string;
}

interface Where {
  /** The workspace root with its symlinks resolved. */
  root: string;
  /** The current directory; undefined once it is only known at run time (`cd -`, `cd "$X"`). */
  cwd: string | undefined;
  home: string;
}

function whereOf(context: CommandContext = {}): Where {
  const root = context.workspaceRoot ?? context.cwd ?? process.cwd();
  return { root: realPath(root), cwd: path.resolve(context.cwd ?? root), home: context.home ?? homedir() };
}

/** Write targets that are not files. */
const NOT_A_FILE = /^(?:\/dev\/(?:null|zero|stdout|stderr|stdin|tty|fd\/\d+)|&?\d+|-)$/;
const DEVICE = /^\/dev\/(?:sd|nvme|hd|disk|mmcblk|xvd|vd|loop|md|dm-|mapper\/)/;

/**
 * A path as the shell would resolve it: `~`, `~user`, `$HOME`, `${HOME}` and `$PWD` expanded, relative paths
 * against the current directory. Undefined when it depends on something only known at run time.
 */
function expandPath(word: string, where: Where): string | undefined {
  let p = word;
  const home = /^(?:~|\$HOME|\$\{HOME\})(?=\/|$)/;
  const pwd = /^(?:\$PWD|\$\{PWD\})(?=\/|$)/;
  if (home.test(p)) p = where.home + p.replace(home, '');
  else if (/^~[\w.-]+/.test(p)) p = path.join(path.dirname(where.home), p.slice(1));
  else if (pwd.test(p)) {
    if (!where.cwd) return undefined;
    p = where.cwd + p.replace(pwd, '');
  }
  if (/[$`]|^<\(/.test(p)) return undefined;
  if (path.isAbsolute(p)) return path.normalize(p);
  return where.cwd ? path.resolve(where.cwd, p) : undefined;
}

/** Checks one path a command writes (creates, changes, moves or deletes) against the workspace. */
function checkWrite(
  target: string,
  where: Where,
  v: Verdicts,
  verb = 'writes',
  followLink = true,
): 'inside' | 'outside' | 'not-a-file' {
  if (NOT_A_FILE.test(target)) return 'not-a-file';
  if (DEVICE.test(target)) {
    v.dangerous.push(`${verb} the device ${target}`);
    return 'outside';
  }
  const abs = expandPath(target, where);
  if (!abs) {
    v.dangerous.push(`${verb} ${target}, a path only known when the command runs, so it cannot be checked`);
    return 'outside';
  }
  // Links are resolved, except the last one of a path that is removed or renamed (that takes the link itself).
  const real =
    followLink || abs === path.parse(abs).root
      ? realPath(abs)
      : path.join(realPath(path.dirname(abs)), path.basename(abs));
  const rel = path.relative(where.root, real);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    v.dangerous.push(`${verb} ${target}, outside the workspace`);
    return 'outside';
  }
  const parts = rel.split(path.sep);
  if (parts.includes('.git')) v.dangerous.push(`${verb} ${target}, inside .git/`);
  else if (parts.includes('.heal')) v.dangerous.push(`${verb} ${target}, inside Heal's own store (.heal/)`);
  else if (SECRET_FILE.test(rel)) v.review.push(`${verb} ${target}, which looks like a secrets file`);
  v.inside?.add(abs);
  return 'inside';
}

/** Operands (not options, nor the values of `valued` options); `values` collects the values of `collect` options. */
function operands(args: string[], valued: string[], collect: string[] = [], values: string[] = []): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.includes('=')) {
      if (collect.includes(a.slice(0, a.indexOf('=')))) values.push(a.slice(a.indexOf('=') + 1));
      continue;
    }
    if (a.startsWith('-') && a !== '-') {
      if (valued.includes(a) || collect.includes(a)) {
        if (collect.includes(a) && args[i + 1] !== undefined) values.push(args[i + 1]);
        i++;
      } else {
        // `-tDIR`: a short valued option with its value attached.
        const short = collect.find((c) => /^-\w$/.test(c) && a.startsWith(c) && a.length > 2);
        if (short) values.push(a.slice(2));
      }
      continue;
    }
    out.push(a);
  }
  return out;
}

const COPY_VALUED = ['-t', '--target-directory', '-S', '--suffix'];
const RSYNC_VALUED = [
  '-e',
  '--rsh',
  '--rsync-path',
  '--exclude',
  '--include',
  '--filter',
  '-f',
  '--exclude-from',
  '--include-from',
  '--files-from',
  '--chmod',
  '--chown',
  '-T',
  '--temp-dir',
  '--backup-dir',
  '--suffix',
  '--log-file',
  '--port',
  '-B',
  '--block-size',
  '--timeout',
  '--partial-dir',
  '--compare-dest',
  '--copy-dest',
  '--link-dest',
  '--max-size',
  '--min-size',
  '--bwlimit',
];

/** What a program writes, read from its arguments: paths it changes, and for `ln` what the links point at. */
function writeTargets(
  program: string,
  args: string[],
): {
  writes: string[];
  removes: string[];
  linkTo: string[];
  remote: string[];
  copies?: { dest: string; sources: string[] };
} {
  // `removes`: paths taken away (rm, unlink, mv's sources), where a symbolic link itself goes, not what it names.
  const none = { writes: [], removes: [], linkTo: [], remote: [] };
  const dirs: string[] = [];
  switch (program) {
    case 'cp':
    case 'mv':
    case 'install': {
      const ops = operands(
        args,
        [...COPY_VALUED, ...(program === 'install' ? ['-m', '--mode', '-o', '--owner', '-g', '--group'] : [])],
        ['-t', '--target-directory'],
        dirs,
      );
      if (program === 'install' && hasFlag(args, 'd', ['--directory'])) return { ...none, writes: ops };
      const dest = dirs.length ? dirs : ops.length >= 2 ? [ops[ops.length - 1]] : [];
      const sources = dirs.length ? ops : ops.slice(0, -1);
      // mv takes its sources away: they change as much as the destination.
      return {
        ...none,
        writes: dest,
        removes: program === 'mv' ? sources : [],
        ...(dest.length === 1 ? { copies: { dest: dest[0], sources } } : {}),
      };
    }
    case 'ln': {
      const ops = operands(args, COPY_VALUED, ['-t', '--target-directory'], dirs);
      if (dirs.length) return { ...none, writes: dirs, linkTo: ops, copies: { dest: dirs[0], sources: ops } };
      if (ops.length === 1) return { ...none, writes: [path.basename(ops[0])], linkTo: ops };
      return {
        ...none,
        writes: ops.slice(-1),
        linkTo: ops.slice(0, -1),
        copies: { dest: ops[ops.length - 1], sources: ops.slice(0, -1) },
      };
    }
    case 'touch':
      return { ...none, writes: operands(args, ['-d', '--date', '-t', '-r', '--reference']) };
    case 'mkdir':
      return { ...none, writes: operands(args, ['-m', '--mode', '--context']) };
    case 'tee':
    case 'shred':
      return { ...none, writes: operands(args, ['-n', '--iterations', '-s', '--size', '--random-source']) };
    case 'rm':
    case 'rmdir':
    case 'unlink':
      return { ...none, removes: operands(args, []) };
    case 'truncate':
      return { ...none, writes: operands(args, ['-s', '--size', '-r', '--reference']) };
    case 'chmod':
    case 'chown':
    case 'chgrp': {
      const ops = operands(args, ['--reference', '--from']);
      // The mode or the owner comes first (unless --reference gives it).
      if (args.some((a) => a.startsWith('--reference'))) return { ...none, writes: ops };
      return {
        ...none,
        writes: program === 'chmod' ? ops.filter((a) => !/^[0-7]{1,4}$|^[ugoa]*[+=-]/.test(a)) : ops.slice(1),
      };
    }
    case 'dd':
      return { ...none, writes: args.filter((a) => a.startsWith('of=')).map((a) => a.slice(3)) };
    case 'rsync': {
      const ops = operands(args, RSYNC_VALUED);
      if (ops.length < 2) return none;
      const all = args.includes('--remove-source-files') ? ops : ops.slice(-1);
      const isRemote = (p: string) => /^rsync:\/\/|^[^/]*:/.test(p);
      return { ...none, writes: all.filter((p) => !isRemote(p)), remote: all.filter(isRemote) };
    }
    case 'sed': {
      if (!args.some((a) => /^(?:-i|--in-place)/.test(a) || /^-[a-zA-Z]*i/.test(a))) return none;
      const scripts: string[] = [];
      const ops = operands(
        args,
        ['-e', '--expression', '-f', '--file', '-l', '--line-length'],
        ['-e', '--expression', '-f', '--file'],
        scripts,
      );
      return { ...none, writes: scripts.length ? ops : ops.slice(1) };
    }
    case 'curl':
      operands(args, [], ['-o', '--output'], dirs);
      return { ...none, writes: dirs };
    case 'wget': {
      const out: string[] = [];
      operands(
        args,
        [],
        ['-O', '--output-document', '-P', '--directory-prefix', '-o', '--output-file', '-a', '--append-output'],
        out,
      );
      return { ...none, writes: out };
    }
    default:
      return none;
  }
}

/** The directory `cd`/`pushd`/`popd` leaves the shell in. */
function afterCd(cmd: SimpleCommand, where: Where): Where {
  const argv = cmd.argv.filter((a, i) => i > 0 || !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a));
  const program = argv[0];
  if (program === 'popd') return { ...where, cwd: undefined };
  if (program !== 'cd' && program !== 'pushd') return where;
  const target = argv.slice(1).find((a) => !/^-[LPe@]+$/.test(a));
  if (target === undefined) return { ...where, cwd: where.home };
  if (target === '-') return { ...where, cwd: undefined };
  return { ...where, cwd: expandPath(target, where) };
}

/** Packages that run remote code: `npx`/`npm exec` of a package not installed here, installs from URLs or git. */
const REMOTE_SPEC =
  /^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|ftp:|file:\/\/|(?:hg|svn|bzr)\+)|^[\w.-]+\/[\w.-]+(?:#.*)?$/;

function installedHere(pkg: string, where: Where): boolean {
  const name = pkg.replace(/^(@[^/]+\/[^@]+|[^@]+)@.*$/, '$1');
  if (name !== pkg) return false; // A version asked for: npx fetches it unless it happens to match.
  const bin = name.replace(/^@[^/]+\//, '');
  for (let dir = where.cwd ?? where.root; ; dir = path.dirname(dir)) {
    if (
      existsSync(path.join(dir, 'node_modules', '.bin', bin)) ||
      existsSync(path.join(dir, 'node_modules', name, 'package.json'))
    )
      return true;
    const rel = path.relative(where.root, dir);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || path.dirname(dir) === dir) return false;
  }
}

function judgeRemoteCode(program: string, args: string[], where: Where, v: Verdicts): void {
  const sub = args.find((a) => !a.startsWith('-'));
  const after = sub === undefined ? [] : args.slice(args.indexOf(sub) + 1);
  const npxLike = (npxArgs: string[]) => {
    const packages: string[] = [];
    const ops = operands(
      npxArgs,
      ['-p', '--package', '-c', '--call', '--cache', '--registry', '--userconfig', '-w', '--workspace'],
      ['-p', '--package'],
      packages,
    );
    if (npxArgs.some((a) => a.startsWith('--registry'))) v.review.push(`${program} uses another registry`);
    const runs = packages.length ? packages : ops.slice(0, 1);
    for (const p of runs) {
      if (/^[./~]/.test(p)) continue;
      if (REMOTE_SPEC.test(p)) v.review.push(`${program} runs ${p}, code from a URL or git repository`);
      else if (!installedHere(p, where))
        v.review.push(`${program} downloads and runs ${p}, which is not installed in this workspace (remote code)`);
    }
  };
  switch (program) {
    case 'npx':
      return npxLike(args);
    case 'bunx':
    case 'uvx':
      v.review.push(`${program} downloads and runs ${sub ?? 'a package'} (remote code)`);
      return;
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'bun': {
      if (program === 'npm' && (sub === 'exec' || sub === 'x')) return npxLike(after);
      if (sub === 'dlx' || (program === 'bun' && sub === 'x')) {
        v.review.push(
          `${program} ${sub} downloads and runs ${after.find((a) => !a.startsWith('-')) ?? 'a package'} (remote code)`,
        );
        return;
      }
      if ((sub === 'init' || sub === 'create') && after.some((a) => !a.startsWith('-')))
        v.review.push(`${program} ${sub} downloads and runs an initializer package (remote code)`);
      if (sub && /^(?:install|i|add|ci|update|up|upgrade)$/.test(sub)) {
        for (const spec of operands(after, ['--registry', '-w', '--workspace', '--filter', '--tag']))
          if (REMOTE_SPEC.test(spec))
            v.review.push(
              `${program} ${sub} installs ${spec} from a URL or git repository, not the registry (remote code)`,
            );
      }
      if (args.some((a) => a.startsWith('--registry'))) v.review.push(`${program} uses another registry`);
      return;
    }
    case 'pip':
    case 'pip3': {
      if (sub !== 'install' && sub !== 'download') return;
      const indexes: string[] = [];
      const specs = operands(
        after,
        [
          '-r',
          '--requirement',
          '-c',
          '--constraint',
          '-e',
          '--editable',
          '-i',
          '--index-url',
          '--extra-index-url',
          '-f',
          '--find-links',
          '--trusted-host',
          '-t',
          '--target',
          '--prefix',
          '--root',
          '--src',
          '--platform',
          '--python-version',
          '--implementation',
          '--abi',
        ],
        ['-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-e', '--editable'],
        indexes,
      );
      for (const spec of [...specs, ...indexes])
        if (/^(?:(?:git|hg|svn|bzr)\+|https?:|ftp:|file:\/\/)/.test(spec))
          v.review.push(
            `${program} ${sub} fetches ${spec}: code from a URL, repository or another index (remote code)`,
          );
      if (after.some((a) => a.startsWith('--trusted-host')))
        v.review.push(`${program} trusts a host without TLS checks`);
      return;
    }
    case 'go':
      if ((sub === 'run' || sub === 'install') && after.some((a) => !a.startsWith('-') && a.includes('@')))
        v.review.push(`go ${sub} fetches and runs a remote module`);
      return;
  }
}

const SAFE_COMMANDS: Array<[string, RegExp | undefined]> = [
  ['npm', /^(?:install|i|add|ci|run|run-script|test|t|start|exec|ls|view|outdated|audit|init)$/],
  ['pnpm', /^(?:add|install|i|run|test|exec|dlx)$/],
  ['yarn', /^(?:add|install|run|test)$/],
  ['npx', undefined],
  ['pip', /^(?:install|download|show|list)$/],
  ['pip3', /^(?:install|download|show|list)$/],
  ['cargo', /^(?:add|build|check|test|run|fetch|update)$/],
  ['go', /^(?:get|mod|build|test|run|vet|fmt)$/],
  [
    'git',
    /^(?:push|pull|fetch|stash|add|status|diff|log|checkout|switch|branch|commit|rebase|merge|init|clone|remote|tag|bisect|help|show|restore|rm|lfs)$/,
  ],
  ['mkdir', undefined],
  ['touch', undefined],
  ['ls', undefined],
  ['cat', undefined],
  ['cd', undefined],
  ['echo', undefined],
  ['tsc', undefined],
  ['eslint', undefined],
  ['prettier', undefined],
  ['python', undefined],
  ['python3', undefined],
  ['node', undefined],
  ['chmod', undefined],
  ['lsof', undefined],
  ['fuser', undefined],
  ['cp', undefined],
  ['mv', undefined],
  ['java', undefined],
  ['javac', undefined],
  ['make', undefined],
];

/** Judges commands in the order they run, following `cd` so relative paths resolve where they would. */
function judgeAll(
  commands: SimpleCommand[],
  functions: Map<string, unknown>,
  v: Verdicts,
  depth: number,
  where: Where,
): void {
  let here = where;
  for (const c of commands) {
    judge(c, functions, v, depth, here);
    here = afterCd(c, here);
  }
}

function judge(cmd: SimpleCommand, functions: Map<string, unknown>, v: Verdicts, depth: number, where: Where): void {
  for (const target of cmd.writes) if (checkWrite(target, where, v) === 'inside') v.review.push(`writes ${target}`);
  let argv = [...cmd.argv];
  // Environment assignments and wrappers in front of the real program.
  let targetsFromInput = false;
  for (;;) {
    while (argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0])) argv.shift();
    const head = path.basename(argv[0] ?? '');
    if (PRIVILEGE.has(head)) v.dangerous.push(`runs as another user (${head})`);
    if (head === 'xargs') targetsFromInput = true;
    const wrapper = WRAPPER_OPTIONS[head];
    if (!wrapper) break;
    argv = skipOptions(argv.slice(1), wrapper.valued);
    if (wrapper.positional) argv = argv.slice(wrapper.positional);
  }
  let program = path.basename(argv[0] ?? '');
  let args = argv.slice(1);
  if (!program) return;
  // `python -m pip …` is pip.
  if (/^python[0-9.]*$/.test(program) && args[0] === '-m' && /^pip[0-9.]*$/.test(args[1] ?? '')) {
    program = 'pip';
    args = args.slice(2);
  }
  if (/[$`]/.test(argv[0])) {
    v.dangerous.push(`the program name ${argv[0]} is computed when the command runs, so it cannot be checked`);
    return;
  }
  const inline = INLINE_CODE[program];
  if (inline && args.some((a) => inline.includes(a))) v.review.push(`runs inline ${program} code`);
  const nested = (script: string, why: string) => {
    if (depth > 4) return v.dangerous.push(`${why} nested too deeply to check`);
    const parsed = parseCommands(script);
    if (!parsed) return v.dangerous.push(`${why} that cannot be parsed`);
    judgeAll(parsed.commands, parsed.functions, v, depth + 1, where);
  };

  if (program === 'alias') {
    // An alias is judged as what it would run.
    for (const a of args) {
      const eq = a.indexOf('=');
      if (eq > 0) nested(a.slice(eq + 1), `alias ${a.slice(0, eq)}`);
    }
    return;
  }
  if (functions.has(program)) {
    const body = JSON.stringify(functions.get(program));
    if (body.includes(`"text":"${program}"`) && body.includes('"async":true'))
      v.dangerous.push('fork bomb (a function that spawns itself in the background)');
  }
  if (cmd.pipedFrom && DOWNLOADERS.has(path.basename(cmd.pipedFrom)) && isInterpreter(program))
    v.dangerous.push(`pipes a download into ${program}`);
  else if (cmd.pipedFrom && isInterpreter(program) && readsCodeFromStdin(program, args))
    v.dangerous.push(`runs code piped into ${program}, which cannot be checked`);
  if ((program === 'source' || program === '.') && args.some((a) => /^<\(|^\/dev\/stdin$|^-$|https?:/.test(a)))
    v.dangerous.push(`${program} runs code that cannot be checked`);
  if (SHELLS.has(program) || program === 'eval') {
    const c = program === 'eval' ? args.join(' ') : args[args.indexOf('-c') + 1];
    if (program === 'eval' && /\$\(|`/.test(c ?? '')) v.dangerous.push('eval of a command substitution');
    if (c && (program === 'eval' || args.includes('-c'))) nested(c, `${program} runs code`);
    if (!args.includes('-c') && program !== 'eval' && args.some((a) => /^<\(|https?:/.test(a)))
      v.dangerous.push(`${program} runs a downloaded script`);
  }
  // Everything the program itself writes must stay inside the workspace.
  const targets = writeTargets(program, args);
  for (const target of targets.writes)
    checkWrite(target, where, v, program === 'shred' ? 'shred destroys' : `${program} writes`);
  // A trailing slash makes even rm follow a link to a folder.
  for (const target of targets.removes)
    checkWrite(target, where, v, program === 'mv' ? 'mv moves away' : `${program} deletes`, target.endsWith('/'));
  // Into an existing folder: the files written are the folder's entries named like the sources.
  const destination = targets.copies && expandPath(targets.copies.dest, where);
  if (v.inside && targets.copies && destination && v.inside.has(destination) && isDirectory(destination)) {
    for (const source of targets.copies.sources) v.inside.add(path.join(destination, path.basename(source)));
  }
  for (const remote of targets.remote) v.dangerous.push(`${program} writes ${remote}, on another machine`);
  for (const to of targets.linkTo) {
    const abs = expandPath(to, where);
    const rel = abs === undefined ? undefined : path.relative(where.root, realPath(abs));
    if (rel === undefined || rel.startsWith('..') || path.isAbsolute(rel))
      v.review.push(`${program} links to ${to}, outside the workspace`);
  }
  judgeRemoteCode(program, args, where, v);
  const sql = args.join(' ');
  if (/\b(?:DROP\s+(?:TABLE|DATABASE|SCHEMA)|TRUNCATE\s+(?:TABLE\s+)?\w|DELETE\s+FROM\s+\w+\s*(?:;|$))/i.test(sql))
    v.dangerous.push('destructive SQL (DROP/TRUNCATE/DELETE without WHERE)');

  switch (program) {
    case 'rm': {
      const recursive = hasFlag(args, 'rR', ['--recursive']);
      const targets = args.filter((a) => !a.startsWith('-'));
      if (targets.some((t) => isSystemPath(t) || t === '.' || t === './'))
        v.dangerous.push(`rm on ${targets.join(' ')}`);
      else if (targetsFromInput && recursive) v.dangerous.push('recursive rm of paths read from input (xargs)');
      else if (recursive) v.review.push(`recursive rm of ${targets.join(' ')}`);
      else v.review.push('deletes files');
      return;
    }
    case 'find':
      if (args.includes('-delete') || (args.includes('-exec') && args.some((a) => /^(?:rm|shred)$/.test(a)))) {
        const starts = args.slice(
          0,
          Math.max(
            0,
            args.findIndex((a) => a.startsWith('-') || a === '(' || a === '!'),
          ),
        );
        if (isSystemPath(args[0] ?? '.') || args[0] === undefined)
          v.dangerous.push('find deletes under a system or home path');
        else if (starts.map((t) => checkWrite(t, where, v, 'find deletes under')).every((r) => r !== 'outside'))
          v.review.push('find deletes files');
      }
      return;
    case 'dd':
      if (args.some((a) => /^of=\/dev\//.test(a))) v.dangerous.push('dd writes to a device');
      else v.review.push('dd writes raw data');
      return;
    case 'shred':
    case 'wipefs':
    case 'fdisk':
    case 'sfdisk':
    case 'parted':
    case 'shutdown':
    case 'reboot':
    case 'halt':
    case 'poweroff':
    case 'killall':
    case 'pkill':
      v.dangerous.push(`${program} is destructive`);
      return;
    case 'kill':
      if (args.includes('-1') || (args.includes('--') && args.includes('-1')))
        v.dangerous.push('kill of every process');
      else v.review.push('kills a process');
      return;
    case 'chmod':
    case 'chown':
    case 'chgrp': {
      const targets = args.filter(
        (a) => !a.startsWith('-') && !/^[0-7]{3,4}$|^[ugoa]*[+=-]/.test(a) && !(program !== 'chmod' && a.includes(':')),
      );
      if (targets.some(isSystemPath)) v.dangerous.push(`${program} on ${targets.join(' ')}`);
      else if (args.some((a) => /^0?777$/.test(a)) && hasFlag(args, 'R', ['--recursive']))
        v.dangerous.push(`${program} -R 777`);
      else if (program !== 'chmod' || !args.some((a) => /^\+x$|^u\+x$|^a\+x$/.test(a)))
        v.review.push(`${program} changes permissions`);
      return;
    }
    case 'mv':
      if (args.some((a) => a === '/dev/null') || args.some((a) => !a.startsWith('-') && isSystemPath(a)))
        v.dangerous.push(`mv involving ${args.join(' ')}`);
      return;
    case 'git': {
      const gitArgs = skipOptions(args, GIT_VALUED_OPTIONS);
      const sub = gitArgs[0];
      const subArgs = gitArgs.slice(1);
      if (
        sub === 'push' &&
        (hasFlag(subArgs, 'f', ['--force', '--mirror', '--delete']) ||
          subArgs.some((a) => a.startsWith('+') || a.startsWith(':')))
      )
        v.dangerous.push('force push or remote delete rewrites shared history');
      else if (sub === 'push' && subArgs.some((a) => a.startsWith('--force-with-lease')))
        v.review.push('force push (with lease)');
      else if (sub === 'reset' && subArgs.includes('--hard')) v.dangerous.push('git reset --hard discards work');
      else if (sub === 'clean' && hasFlag(subArgs, 'f', ['--force']))
        v.dangerous.push('git clean deletes untracked files');
      else if (
        (sub === 'checkout' || sub === 'restore') &&
        (subArgs.includes('.') || (subArgs.includes('--') && subArgs.length > 1)) &&
        !subArgs.includes('-b')
      )
        v.dangerous.push(`git ${sub} discards local changes`);
      else if (sub === 'branch' && hasFlag(subArgs, 'D', ['--delete'])) v.review.push('deletes a branch');
      else if (sub === 'stash' && (subArgs[0] === 'drop' || subArgs[0] === 'clear'))
        v.dangerous.push('drops stashed work');
      else if (sub === 'rm' && hasFlag(subArgs, 'f', ['--force'])) v.review.push('git rm -f discards changes');
      else if (
        sub === 'filter-branch' ||
        sub === 'filter-repo' ||
        (sub === 'reflog' && subArgs[0] === 'expire') ||
        (sub === 'gc' && subArgs.some((a) => a.startsWith('--prune')))
      )
        v.dangerous.push(`git ${sub} rewrites or deletes history`);
      else if (sub === 'tag' && hasFlag(subArgs, 'f', ['--force'])) v.review.push('moves a tag');
      break;
    }
    case 'docker':
      if (args.includes('prune') || (args.includes('rm') && hasFlag(args, 'f', ['--force'])) || args.includes('rmi'))
        v.review.push('removes Docker data');
      break;
    case 'npm':
    case 'pnpm':
    case 'yarn':
      if (args.some((a) => /^(?:publish|unpublish|deprecate|owner|access|token|adduser|login)$/.test(a)))
        v.dangerous.push(`${program} ${args[0]} changes the registry`);
      if (hasFlag(args, 'g', ['--global', '--location'])) v.review.push('installs globally');
      break;
  }
  if (/^mkfs/.test(program) || program === 'format' || program === 'diskpart')
    v.dangerous.push(`${program} formats a disk`);
  if (
    /^(?:rmdir|unlink|truncate|crontab|iptables|ufw|systemctl|service|sysctl|mount|umount|passwd|useradd|userdel|visudo)$/.test(
      program,
    )
  )
    v.review.push(`${program} changes the system`);
  const safe = SAFE_COMMANDS.find(([name]) => name === program);
  const sub = program === 'git' ? skipOptions(args, GIT_VALUED_OPTIONS)[0] : args.find((a) => !a.startsWith('-'));
  if (!safe || (safe[1] && !safe[1].test(sub ?? ''))) v.safe = false;
}

/** Classifies a shell command: dangerous if any part is, safe only if every part is known to be harmless. */
export function classifyCommand(command: string, context: CommandContext = {}): SafetyVerdict {
  if (command.trim() === '') return { safety: 'review', reasons: ['the command is empty'] };
  const parsed = parseCommands(command);
  if (!parsed) return { safety: 'dangerous', reasons: ['the command cannot be parsed, so it cannot be checked'] };
  const v: Verdicts = { dangerous: [], review: [], safe: true };
  judgeAll(parsed.commands, parsed.functions, v, 0, whereOf(context));
  if (v.dangerous.length) return { safety: 'dangerous', reasons: [...new Set(v.dangerous)] };
  if (v.review.length || !v.safe || parsed.commands.length === 0)
    return {
      safety: 'review',
      reasons: [...new Set(v.review.length ? v.review : ['not a command Heal knows to be harmless'])],
    };
  return { safety: 'safe', reasons: [] };
}

/**
 * The files inside the workspace a command writes, as far as its command line tells (redirections, cp/mv/install/
 * ln/touch/tee/rm/sed -i/dd …, following `cd`): what a command fix backs up besides the package manifests.
 * Paths are absolute, symlinks not resolved; globs and paths only known at run time are left out.
 */
export function commandWriteTargets(command: string, context: CommandContext = {}): string[] {
  const parsed = parseCommands(command);
  if (!parsed) return [];
  const inside = new Set<string>();
  judgeAll(parsed.commands, parsed.functions, { dangerous: [], review: [], safe: true, inside }, 0, whereOf(context));
  return [...inside].filter((p) => !/[*?[\]{}]/.test(p));
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const SECRET_FILE =
  /(?:^|[\\/])(?:\.env(?:\..*)?|.*\.pem|.*\.key|id_[a-z0-9]+(?:\.pub)?|.*\.p12|.*\.pfx|\.npmrc|\.pypirc|\.netrc|credentials(?:\.json)?)$/i;
const PROTECTED = /(?:^|[\\/])(?:auth|migrations)[\\/]/;

/** Resolves symlinks of the longest existing prefix, so a link cannot smuggle an edit out of the workspace. */
function realPath(p: string): string {
  let current = path.resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(current), ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.resolve(p);
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

export function classifyEdits(edits: TextEdit[], workspaceRoot: string): SafetyVerdict {
  const root = realPath(workspaceRoot);
  const dangerous: string[] = [];
  const review: string[] = [];
  let changedLines = 0;
  for (const edit of edits) {
    const file = realPath(path.resolve(workspaceRoot, edit.file));
    const rel = path.relative(root, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) dangerous.push(`${edit.file} is outside the workspace`);
    else if (rel.split(path.sep).includes('.git')) dangerous.push(`${edit.file} is inside .git/`);
    else if (SECRET_FILE.test(rel)) dangerous.push(`${edit.file} looks like a secrets file`);
    else if (rel.split(path.sep).includes('.heal')) dangerous.push(`${edit.file} is inside Heal's own store (.heal/)`);
    else if (PROTECTED.test(rel)) review.push(`${edit.file} is in a protected folder`);
    else if (rel.split(path.sep).includes('node_modules'))
      review.push(`${edit.file} is an installed dependency (node_modules/)`);
    changedLines += edit.range.end.line - edit.range.start.line + 1 + (edit.newText.match(/\n/g)?.length ?? 0);
  }
  if (new Set(edits.map((e) => e.file)).size > 2) review.push('changes more than 2 files');
  if (changedLines > 30) review.push('changes more than 30 lines');
  if (dangerous.length) return { safety: 'dangerous', reasons: dangerous };
  if (review.length) return { safety: 'review', reasons: review };
  return { safety: 'safe', reasons: [] };
}

export function classifyFix(fix: Fix, workspaceRoot: string): SafetyVerdict {
  if (fix.kind === 'advice') return { safety: 'safe', reasons: [] };
  if (fix.kind === 'edit') return classifyEdits(fix.edits ?? [], workspaceRoot);
  return fix.command ? classifyCommand(fix.command, { workspaceRoot }) : { safety: 'review', reasons: ['no command'] };
}
