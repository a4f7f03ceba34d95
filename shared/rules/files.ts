// Files and directories: missing parents, directories given to file commands, unterminated sed, permissions.
import * as path from 'node:path';
import { joinWords, programIndex, replaceWord } from '../corrections/commandLine';
import { closeMatches } from '../corrections/similarity';
import { Category } from '../detect/categories';
import { replace, runFirst, type Proposal, type Rule, type RuleInput } from './rule';

const quote = (p: string) => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);

const missingParent: Rule = {
  id: 'files.missing-parent',
  programs: ['cp', 'mv', 'touch', 'mkdir', 'hdfs', 'cd'],
  propose(input) {
    const { plain, words } = input.line;
    const p = programIndex(input.line);
    const program = input.program;
    const out: Proposal[] = [];
    if (program === 'touch') {
      const m = /touch: (?:cannot touch '([^']+)'|([^:]+)): No such file or directory/.exec(input.output);
      const target = m?.[1] ?? m?.[2];
      if (target)
        out.push(
          replace(
            `mkdir -p ${quote(path.dirname(target))} && ${input.command}`,
            `The folder ${path.dirname(target)} does not exist yet.`,
            0.9,
          ),
        );
    } else if (program === 'cp' || program === 'mv') {
      const moved = /cannot (?:move|copy|create regular file) '[^']*'(?: to '([^']+)')?/.exec(input.output);
      if (!/No such file or directory|does not exist/.test(input.output)) return [];
      const dest = plain[plain.length - 1];
      if (!dest || plain.length - p < 3) return [];
      const dir = moved?.[1]
        ? path.dirname(moved[1].replace(/\/+$/, '') + (moved[1].endsWith('/') ? '/x' : ''))
        : dest.endsWith('/')
          ? dest
          : path.dirname(dest);
      out.push(
        replace(
          `mkdir -p ${quote(dir)} && ${input.command}`,
          `The destination folder ${dir} does not exist yet.`,
          0.85,
        ),
      );
    } else if (program === 'cd') {
      const target = plain[p + 1];
      if (!target || target.startsWith('-') || input.env.isDirectory(target)) return [];
      if (input.output && !/[Nn]o such file or directory|can't cd to|does not exist|not a directory/.test(input.output))
        return [];
      const close = closestPath(target, input.env);
      if (close)
        out.push(replace(`cd ${quote(close)}`, `There is no ${target}; ${close} is the closest folder.`, 0.85));
      out.push(
        replace(
          `mkdir -p ${quote(target)} && cd ${quote(target)}`,
          `${target} does not exist; create it and go there.`,
          0.6,
        ),
      );
    } else {
      // mkdir (also `hdfs dfs -mkdir`): nested path without -p.
      const flag = plain.findIndex((w, i) => i > p && (w === 'mkdir' || w === '-mkdir'));
      const at = program === 'mkdir' ? p : flag;
      if (at < 0 || plain.includes('-p') || plain.includes('--parents')) return [];
      const nested = plain.slice(at + 1).some((w) => !w.startsWith('-') && w.replace(/\/+$/, '').includes('/'));
      if (nested && (!input.output || /No such file or directory|cannot create directory/.test(input.output))) {
        out.push(
          replace(
            joinWords([...words.slice(0, at + 1), '-p', ...words.slice(at + 1)]),
            'Parent folders are missing; `-p` creates them.',
            0.85,
          ),
        );
      }
    }
    return out;
  },
};

/** `cd srcc/lbi` → `cd src/lib`: each missing component replaced by the closest folder that exists at that level. */
function closestPath(target: string, env: RuleInput['env']): string | undefined {
  const absolute = target.startsWith('/');
  const parts = target.split('/').filter(Boolean);
  let at = absolute ? '/' : '';
  let changed = false;
  for (const part of parts) {
    const next = at ? path.join(at, part) : part;
    if (part === '.' || part === '..' || env.isDirectory(next)) {
      at = next;
      continue;
    }
    const close = closeMatches(part, env.listDirectories(at), 1, 0.6)[0];
    if (!close) return undefined;
    at = at ? path.join(at, close) : close;
    changed = true;
  }
  return changed ? at + (target.endsWith('/') && at !== '/' ? '/' : '') : undefined;
}

/** Inserts `flag` right after the program word (`cp d1 d2` → `cp -r d1 d2`). */
function withFlag(input: RuleInput, flag: string): string {
  const p = programIndex(input.line);
  return joinWords([...input.line.words.slice(0, p + 1), flag, ...input.line.words.slice(p + 1)]);
}

/** A directory given to a command that needs `-r` to take one: `cp`, `rm`, `grep`, `scp`. */
const directoryNeedsRecursive: Rule = {
  id: 'files.directory-needs-recursive',
  programs: ['cp', 'rm', 'grep', 'scp'],
  propose(input) {
    const { plain } = input.line;
    const p = programIndex(input.line);
    const has = (re: RegExp) => plain.slice(p + 1).some((w) => re.test(w));
    const out: Proposal[] = [];
    if (
      input.program === 'cp' &&
      /-r not specified; omitting directory|omitting directory|: is a directory \(not copied\)|is a directory/i.test(
        input.output,
      ) &&
      !has(/^-(?:[a-zA-Z]*[rRa][a-zA-Z]*|-recursive|-archive)$/)
    ) {
      out.push(replace(withFlag(input, '-r'), 'cp copies a folder only with `-r` (recursive).', 0.9));
      out.push(
        replace(
          withFlag(input, '-a'),
          '`-a` copies the folder recursively and keeps permissions, times and links.',
          0.7,
        ),
      );
    } else if (input.program === 'scp' && /not a regular file/.test(input.output) && !has(/^-[a-zA-Z]*r/)) {
      out.push(replace(withFlag(input, '-r'), 'scp copies a folder only with `-r`.', 0.85));
    } else if (
      input.program === 'rm' &&
      /[Ii]s a directory/.test(input.output) &&
      !has(/^-(?:[a-zA-Z]*[rR][a-zA-Z]*|-recursive)$/)
    ) {
      out.push(
        replace(
          withFlag(input, '-r'),
          'rm removes a folder and its contents only with `-r`; check what it holds first.',
          0.75,
        ),
      );
    } else if (
      input.program === 'grep' &&
      /: [Ii]s a directory/.test(input.output) &&
      !has(/^-(?:[a-zA-Z]*[rR][a-zA-Z]*|-recursive|d)$/)
    ) {
      out.push(replace(withFlag(input, '-r'), 'grep searches inside a folder only with `-r`.', 0.85));
    }
    return out;
  },
};

const catDirectory: Rule = {
  id: 'files.cat-directory',
  programs: ['cat'],
  propose(input) {
    if (!/: Is a directory/.test(input.output)) return [];
    return [replace(replaceWord(input.line, programIndex(input.line), 'ls'), 'It is a folder; list it instead.', 0.9)];
  },
};

const sedUnterminated: Rule = {
  id: 'files.sed-unterminated',
  programs: ['sed'],
  propose(input) {
    if (!/unterminated `s' command/.test(input.output)) return [];
    const words = input.line.words.map((w, i) => {
      const prev = input.line.plain[i - 1];
      const expr = /^(-e)?(['"]?)(s(.).*)\2$/.exec(w);
      if (!expr || (prev !== '-e' && !expr[1] && i !== programIndex(input.line) + 1)) return w;
      const [, flag = '', q, body, sep] = expr;
      const unescaped = body.replace(/\\./g, '').split(sep).length - 1;
      return unescaped === 2 ? `${flag}${q}${body}${sep}${q}` : w;
    });
    return [replace(joinWords(words), 'The `s` expression needs its closing delimiter.', 0.9)];
  },
};

const notExecutable: Rule = {
  id: 'files.not-executable',
  propose(input) {
    const e = input.events.find(
      (ev) => ev.category === Category.permissionDenied && ev.data?.path && /^\.{0,2}\//.test(ev.data.path),
    );
    const script =
      e?.data?.path ??
      (/Permission denied/.test(input.output) && /^\.\//.test(input.line.plain[0] ?? '')
        ? input.line.plain[0]
        : undefined);
    if (!script) return [];
    return [
      runFirst(
        `chmod +x ${quote(script.replace(/^\.\//, ''))}`,
        `${script} is not executable; make it executable, then run it again.`,
        0.8,
        e,
      ),
    ];
  },
};

export const filesRules: Rule[] = [
  missingParent,
  directoryNeedsRecursive,
  catDirectory,
  sedUnterminated,
  notExecutable,
];
