// Safety classes for fixes. Commands are parsed with a real shell parser so quoting, `&&`, pipes, subshells,
// `$(…)` and wrappers (`env`, `sudo`, `xargs`, `sh -c`, `eval`) are seen through.
import { realpathSync } from 'node:fs';
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
  return typeof node === 'object' && node !== null && typeof (node as Node).text === 'string' ? unquote((node as Node).text as string) : '';
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
      previous = wordText((c as Node).name) || previous;
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
        if (op === '>' || op === '>>' || op === '>|' || op === '&>') writes.push(wordText(p.file));
      } else if (p.type === 'AssignmentWord') {
        if (argv.length > 0) argv.push(unquote(String(p.text)));
      } else if (p.type === 'Word') argv.push(wordText(p));
    }
    if (argv.length > 0) out.push({ argv, writes, pipedFrom });
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
  xargs: { valued: ['-I', '-i', '-n', '--max-args', '-P', '--max-procs', '-L', '-l', '-d', '--delimiter', '-a', '--arg-file', '-E', '-e', '-s'] },
  sudo: { valued: ['-u', '--user', '-g', '--group', '-C', '-h', '--host', '-p', '--prompt', '-U', '-r', '-t', '-D', '--chdir'] },
  doas: { valued: ['-u', '-C'] },
  su: { valued: ['-g', '-G', '-s', '--shell'] },
  pkexec: { valued: ['--user'] },
  runas: { valued: [] },
};

/** Interpreters' options that run code given on the command line. */
const INLINE_CODE: Record<string, string[]> = { python: ['-c'], python3: ['-c'], node: ['-e', '--eval', '-p', '--print'], perl: ['-e', '-E'], ruby: ['-e'], php: ['-r'] };
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
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'ash']);
const INTERPRETERS = new Set([...SHELLS, 'python', 'python3', 'perl', 'ruby', 'node', 'php']);
const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'iwr', 'irm', 'Invoke-WebRequest']);

/** Short options as a set of letters (`-rf` → r, f), long options as words. */
function hasFlag(args: string[], short: string, long: string[] = []): boolean {
  return args.some((a) => (a.startsWith('--') ? long.includes(a.replace(/=.*$/, '')) : a.startsWith('-') && a.length > 1 && [...a.slice(1)].some((c) => short.includes(c))));
}

const isSystemPath = (p: string) => /^(?:\/|\/\*|~|~\/|~\/\*|\$HOME\/?\*?|\$\{HOME\}|\.\.|\.\.\/.*|\*|\/(?:bin|boot|dev|etc|lib|lib64|opt|proc|root|sbin|sys|usr|var|home|Users)(?:\/.*)?)$/.test(p) || p.includes('$');

interface Verdicts {
  dangerous: string[];
  review: string[];
  safe: boolean;
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
  ['git', /^(?:push|pull|fetch|stash|add|status|diff|log|checkout|switch|branch|commit|rebase|merge|init|clone|remote|tag|bisect|help|show|restore|rm|lfs)$/],
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

function judge(cmd: SimpleCommand, functions: Map<string, unknown>, v: Verdicts, depth: number): void {
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
  const program = path.basename(argv[0] ?? '');
  const args = argv.slice(1);
  if (!program) return;
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
    for (const c of parsed.commands) judge(c, parsed.functions, v, depth + 1);
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
    if (body.includes(`"text":"${program}"`) && body.includes('"async":true')) v.dangerous.push('fork bomb (a function that spawns itself in the background)');
  }
  if (cmd.pipedFrom && DOWNLOADERS.has(path.basename(cmd.pipedFrom)) && INTERPRETERS.has(program)) v.dangerous.push(`pipes a download into ${program}`);
  if (SHELLS.has(program) || program === 'eval') {
    const c = program === 'eval' ? args.join(' ') : args[args.indexOf('-c') + 1];
    if (program === 'eval' && /\$\(|`/.test(c ?? '')) v.dangerous.push('eval of a command substitution');
    if (c && (program === 'eval' || args.includes('-c'))) nested(c, `${program} runs code`);
    if (!args.includes('-c') && program !== 'eval' && args.some((a) => /^<\(|https?:/.test(a))) v.dangerous.push(`${program} runs a downloaded script`);
  }
  for (const target of cmd.writes) {
    if (/^\/dev\/(?:sd|nvme|hd|disk|mmcblk)/.test(target)) v.dangerous.push(`writes to the device ${target}`);
    else if (/^\/(?:etc|bin|sbin|usr|boot|sys|proc)\//.test(target)) v.dangerous.push(`overwrites the system file ${target}`);
    else if (/(?:^|\/)\.git\//.test(target)) v.dangerous.push('writes inside .git/');
    else if (target !== '/dev/null' && target !== '&1' && target !== '&2') v.review.push(`writes ${target}`);
  }
  const sql = args.join(' ');
  if (/\b(?:DROP\s+(?:TABLE|DATABASE|SCHEMA)|TRUNCATE\s+(?:TABLE\s+)?\w|DELETE\s+FROM\s+\w+\s*(?:;|$))/i.test(sql)) v.dangerous.push('destructive SQL (DROP/TRUNCATE/DELETE without WHERE)');

  switch (program) {
    case 'rm': {
      const recursive = hasFlag(args, 'rR', ['--recursive']);
      const targets = args.filter((a) => !a.startsWith('-'));
      if (targets.some((t) => isSystemPath(t) || t === '.' || t === './')) v.dangerous.push(`rm on ${targets.join(' ')}`);
      else if (targetsFromInput && recursive) v.dangerous.push('recursive rm of paths read from input (xargs)');
      else if (recursive) v.review.push(`recursive rm of ${targets.join(' ')}`);
      else v.review.push('deletes files');
      return;
    }
    case 'find':
      if (args.includes('-delete') || (args.includes('-exec') && args.some((a) => /^(?:rm|shred)$/.test(a)))) {
        if (isSystemPath(args[0] ?? '.') || args[0] === undefined) v.dangerous.push('find deletes under a system or home path');
        else v.review.push('find deletes files');
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
      if (args.includes('-1') || args.includes('--') && args.includes('-1')) v.dangerous.push('kill of every process');
      else v.review.push('kills a process');
      return;
    case 'chmod':
    case 'chown':
    case 'chgrp': {
      const targets = args.filter((a) => !a.startsWith('-') && !/^[0-7]{3,4}$|^[ugoa]*[+=-]/.test(a) && !(program !== 'chmod' && a.includes(':')));
      if (targets.some(isSystemPath)) v.dangerous.push(`${program} on ${targets.join(' ')}`);
      else if (args.some((a) => /^0?777$/.test(a)) && hasFlag(args, 'R', ['--recursive'])) v.dangerous.push(`${program} -R 777`);
      else if (program !== 'chmod' || !args.some((a) => /^\+x$|^u\+x$|^a\+x$/.test(a))) v.review.push(`${program} changes permissions`);
      return;
    }
    case 'mv':
      if (args.some((a) => a === '/dev/null') || args.some((a) => !a.startsWith('-') && isSystemPath(a))) v.dangerous.push(`mv involving ${args.join(' ')}`);
      return;
    case 'git': {
      const gitArgs = skipOptions(args, GIT_VALUED_OPTIONS);
      const sub = gitArgs[0];
      const subArgs = gitArgs.slice(1);
      if (sub === 'push' && (hasFlag(subArgs, 'f', ['--force', '--mirror', '--delete']) || subArgs.some((a) => a.startsWith('+') || a.startsWith(':')))) v.dangerous.push('force push or remote delete rewrites shared history');
      else if (sub === 'push' && subArgs.some((a) => a.startsWith('--force-with-lease'))) v.review.push('force push (with lease)');
      else if (sub === 'reset' && subArgs.includes('--hard')) v.dangerous.push('git reset --hard discards work');
      else if (sub === 'clean' && hasFlag(subArgs, 'f', ['--force'])) v.dangerous.push('git clean deletes untracked files');
      else if ((sub === 'checkout' || sub === 'restore') && (subArgs.includes('.') || subArgs.includes('--') && subArgs.length > 1) && !subArgs.includes('-b')) v.dangerous.push(`git ${sub} discards local changes`);
      else if (sub === 'branch' && hasFlag(subArgs, 'D', ['--delete'])) v.review.push('deletes a branch');
      else if (sub === 'stash' && (subArgs[0] === 'drop' || subArgs[0] === 'clear')) v.dangerous.push('drops stashed work');
      else if (sub === 'rm' && hasFlag(subArgs, 'f', ['--force'])) v.review.push('git rm -f discards changes');
      else if (sub === 'filter-branch' || sub === 'filter-repo' || (sub === 'reflog' && subArgs[0] === 'expire') || (sub === 'gc' && subArgs.some((a) => a.startsWith('--prune')))) v.dangerous.push(`git ${sub} rewrites or deletes history`);
      else if (sub === 'tag' && hasFlag(subArgs, 'f', ['--force'])) v.review.push('moves a tag');
      break;
    }
    case 'docker':
      if (args.includes('prune') || (args.includes('rm') && hasFlag(args, 'f', ['--force'])) || args.includes('rmi')) v.review.push('removes Docker data');
      break;
    case 'npm':
    case 'pnpm':
    case 'yarn':
      if (args.some((a) => /^(?:publish|unpublish|deprecate|owner|access|token|adduser|login)$/.test(a))) v.dangerous.push(`${program} ${args[0]} changes the registry`);
      if (hasFlag(args, 'g', ['--global', '--location'])) v.review.push('installs globally');
      break;
  }
  if (/^mkfs/.test(program) || program === 'format' || program === 'diskpart') v.dangerous.push(`${program} formats a disk`);
  if (/^(?:rmdir|unlink|truncate|crontab|iptables|ufw|systemctl|service|sysctl|mount|umount|passwd|useradd|userdel|visudo)$/.test(program)) v.review.push(`${program} changes the system`);
  const safe = SAFE_COMMANDS.find(([name]) => name === program);
  const sub = program === 'git' ? skipOptions(args, GIT_VALUED_OPTIONS)[0] : args.find((a) => !a.startsWith('-'));
  if (!safe || (safe[1] && !safe[1].test(sub ?? ''))) v.safe = false;
}

/** Classifies a shell command: dangerous if any part is, safe only if every part is known to be harmless. */
export function classifyCommand(command: string): SafetyVerdict {
  if (command.trim() === '') return { safety: 'review', reasons: ['the command is empty'] };
  const parsed = parseCommands(command);
  if (!parsed) return { safety: 'dangerous', reasons: ['the command cannot be parsed, so it cannot be checked'] };
  const v: Verdicts = { dangerous: [], review: [], safe: true };
  for (const c of parsed.commands) judge(c, parsed.functions, v, 0);
  if (v.dangerous.length) return { safety: 'dangerous', reasons: [...new Set(v.dangerous)] };
  if (v.review.length || !v.safe || parsed.commands.length === 0) return { safety: 'review', reasons: [...new Set(v.review.length ? v.review : ['not a command Heal knows to be harmless'])] };
  return { safety: 'safe', reasons: [] };
}

const SECRET_FILE = /(?:^|[\\/])(?:\.env(?:\..*)?|.*\.pem|.*\.key|id_[a-z0-9]+(?:\.pub)?|.*\.p12|.*\.pfx|\.npmrc|\.pypirc|\.netrc|credentials(?:\.json)?)$/i;
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
    else if (rel.split(path.sep).includes('node_modules')) review.push(`${edit.file} is an installed dependency (node_modules/)`);
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
  return fix.command ? classifyCommand(fix.command) : { safety: 'review', reasons: ['no command'] };
}
