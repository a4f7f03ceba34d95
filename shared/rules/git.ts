// git: corrections for the failures git explains in its own output.
import { joinWords, programIndex, replaceWord, type CommandLine } from '../corrections/commandLine';
import { toolSuggestion } from '../corrections/didYouMean';
import { closeMatches } from '../corrections/similarity';
import { Category } from '../detect/categories';
import { advice, replace, runFirst, type Proposal, type Rule, type RuleInput } from './rule';
import { typoIndex } from './generic';

/** Index of git's subcommand, past global options such as `-c k=v` and `-C dir`. */
function subcommandIndex(line: CommandLine): number {
  let i = programIndex(line) + 1;
  while (i < line.plain.length && line.plain[i].startsWith('-')) i += /^-[cC]$/.test(line.plain[i]) ? 2 : 1;
  return i;
}

function gitRule(id: string, propose: (input: RuleInput, sub: number) => Proposal[]): Rule {
  return { id: `git.${id}`, programs: ['git', 'hub'], propose: (input) => propose(input, subcommandIndex(input.line)) };
}

const shellWord = (s: string) => s.replace(/([\s'"\\$`!&|;<>()])/g, '\\$1');

const pushSetUpstream = gitRule('push-set-upstream', (input, sub) => {
  if (input.line.plain[sub] !== 'push') return [];
  const event = input.events.find((e) => e.category === Category.gitNoUpstream);
  const m = /git push --set-upstream (\S+) (.+)$/m.exec(input.output);
  const branch = m?.[2].trim() ?? event?.data?.branch;
  if (!branch && !/has no upstream branch/.test(input.output)) return [];
  const remote = m?.[1] ?? 'origin';
  const { words, plain } = input.line;
  const kept: string[] = [];
  let positional = 0;
  for (let i = sub + 1; i < words.length; i++) {
    if (plain[i] === '-u' || plain[i] === '--set-upstream') continue;
    if (!plain[i].startsWith('-') && positional++ < 2) continue;
    kept.push(words[i]);
  }
  const command = joinWords([
    ...words.slice(0, sub + 1),
    '--set-upstream',
    remote,
    shellWord(branch ?? 'HEAD'),
    ...kept,
  ]);
  return [replace(command, `The branch has no upstream on ${remote}; this pushes it and sets the upstream.`, 0.92)];
});

const pushRejected = gitRule('push-rejected', (input, sub) => {
  if (input.line.plain[sub] !== 'push' || !/! \[rejected\]|failed to push some refs/.test(input.output)) return [];
  if (!/non-fast-forward|fetch first|behind|remote contains work/.test(input.output)) return [];
  const args = input.line.words.slice(sub + 1);
  const pull = joinWords([
    ...input.line.words.slice(0, sub),
    'pull',
    ...args.filter((a) => !/^--?f(orce)?$|^--force-with-lease/.test(a)),
  ]);
  const force = replaceWord(input.line, sub, 'push --force-with-lease');
  return [
    replace(`${pull} && ${input.command}`, 'The remote has commits you do not have; pull them, then push.', 0.85),
    replace(
      force,
      'Overwrites the remote branch only if it is still where you last saw it (rewrites shared history).',
      0.6,
    ),
  ];
});

const notACommand = gitRule('not-a-command', (input, sub) => {
  const s =
    /is not a git command/.test(input.output) || /^usage: git (?:bisect|stash)/m.test(input.output)
      ? toolSuggestion(input.output, input.program)
      : undefined;
  if (!s) return [];
  const index = s.typo ? typoIndex(input, s.typo, s.candidates) : Math.min(sub + 1, input.line.plain.length - 1);
  if (index < 0) return [];
  const typed = input.line.plain[index];
  return closeMatches(typed, s.candidates, 3, 0.1).map((c, i) =>
    replace(
      replaceWord(input.line, index, c),
      `git does not know \`${typed}\`; \`${c}\` is the closest ${s.list ? 'choice' : 'command'}.`,
      0.9 - i * 0.05,
    ),
  );
});

const twoDashes = gitRule('two-dashes', (input) => {
  const m = /did you mean `(--[\w-]+)` \(with two dashes/.exec(input.output);
  if (!m) return [];
  const i = input.line.plain.indexOf(m[1].slice(1));
  return i < 0
    ? []
    : [replace(replaceWord(input.line, i, m[1]), `\`${m[1].slice(1)}\` is a long option and needs two dashes.`, 0.95)];
});

const branchZeroFlag = gitRule('branch-zero-flag', (input, sub) => {
  if (input.line.plain[sub] !== 'branch') return [];
  const i = input.line.plain.findIndex((w, k) => k > sub && /^0[A-Za-z]$/.test(w));
  if (i < 0) return [];
  const flag = `-${input.line.plain[i][1]}`;
  const fixed = replaceWord(input.line, i, flag);
  const created = /already exists/.test(input.output);
  const proposals = [
    replace(
      created ? `git branch -D ${input.line.plain[i]} && ${fixed}` : fixed,
      `\`${input.line.plain[i]}\` looks like \`${flag}\` typed with 0 instead of -.`,
      0.93,
    ),
  ];
  if (created) proposals.push(replace(fixed, `\`${input.line.plain[i]}\` looks like \`${flag}\`.`, 0.6));
  return proposals;
});

const branchExists = gitRule('branch-exists', (input) => {
  const m = /fatal: A branch named '([^']+)' already exists/.exec(input.output);
  if (!m) return [];
  const b = shellWord(m[1]);
  return [
    replace(
      `git branch -d ${b} && git branch ${b}`,
      `A branch named ${m[1]} already exists; delete it first (only if merged).`,
      0.7,
    ),
    replace(`git branch -d ${b} && git checkout -b ${b}`, `Recreate ${m[1]} and switch to it.`, 0.65),
  ];
});

const branchDeleteCheckedOut = gitRule('branch-delete-checked-out', (input) => {
  const m = /Cannot delete branch '([^']+)' checked out at/.exec(input.output);
  if (!m) return [];
  return [
    replace(
      `git checkout master && git branch -D ${shellWord(m[1])}`,
      `${m[1]} is checked out; switch away before deleting it.`,
      0.75,
    ),
    replace(
      `git checkout main && git branch -D ${shellWord(m[1])}`,
      `${m[1]} is checked out; switch away before deleting it.`,
      0.7,
    ),
  ];
});

const mainMaster = gitRule('main-master', (input) => {
  const m = /pathspec '(main|master)' did not match/.exec(input.output);
  if (!m) return [];
  const i = input.line.plain.lastIndexOf(m[1]);
  const other = m[1] === 'main' ? 'master' : 'main';
  return i < 0
    ? []
    : [
        replace(
          replaceWord(input.line, i, other),
          `This repository has no \`${m[1]}\`; its default branch is probably \`${other}\`.`,
          0.85,
        ),
      ];
});

const rmFlags = gitRule('rm-flags', (input, sub) => {
  if (input.line.plain[sub] !== 'rm') return [];
  if (/not removing '[^']+' recursively without -r/.test(input.output))
    return [replace(replaceWord(input.line, sub, 'rm -r'), 'It is a directory; `-r` removes it recursively.', 0.9)];
  if (!/use --cached to keep the file, or -f to force removal/.test(input.output)) return [];
  return [
    replace(
      replaceWord(input.line, sub, 'rm --cached'),
      'Stops tracking the file but keeps your changes on disk.',
      0.85,
    ),
    replace(replaceWord(input.line, sub, 'rm -f'), 'Removes the file and discards its changes.', 0.6),
  ];
});

const stashFirst = gitRule('stash-first', (input, sub) => {
  const verb = input.line.plain[sub];
  if (verb === 'stash' && /would be overwritten by merge/.test(input.output)) {
    return [
      replace(
        `git add --update && ${input.command} && git reset .`,
        'Local changes block the stash; stage them so the stash can merge, then unstage.',
        0.8,
      ),
    ];
  }
  if (
    !/Your local changes (?:to the following files )?would be overwritten|You have unstaged changes|Your index contains uncommitted changes|Please commit or stash them/.test(
      input.output,
    )
  )
    return [];
  const pop =
    verb === 'pull' || verb === 'rebase' || verb === 'checkout' || verb === 'switch' ? ' && git stash pop' : '';
  return [
    replace(
      `git stash && ${input.command}${pop}`,
      'Uncommitted changes are in the way; stash them around the command.',
      0.85,
    ),
  ];
});

const tagForce = gitRule('tag-force', (input, sub) => {
  if (input.line.plain[sub] !== 'tag' || !/fatal: tag '[^']+' already exists/.test(input.output)) return [];
  return [replace(replaceWord(input.line, sub, 'tag --force'), 'The tag exists; `--force` moves it.', 0.85)];
});

const stashSubcommand = gitRule('stash-subcommand', (input, sub) => {
  if (input.line.plain[sub] !== 'stash' || !/usage: git stash/.test(input.output)) return [];
  const next = input.line.plain[sub + 1];
  if (next === undefined) return [];
  const verbs = ['apply', 'branch', 'clear', 'drop', 'list', 'pop', 'save', 'show', 'push', 'create', 'store'];
  const close = closeMatches(next, verbs, 1, 0.6)[0];
  const fixed = close ? replaceWord(input.line, sub + 1, close) : replaceWord(input.line, sub, 'stash save');
  return [
    replace(
      fixed,
      close ? `\`${next}\` is not a stash subcommand; \`${close}\` is.` : 'A stash message needs `git stash save`.',
      0.85,
    ),
  ];
});

const helpAliased = gitRule('help-aliased', (input) => {
  const m = /`git (\S+)' is aliased to `([^'\s]+)[^']*'/.exec(input.output);
  if (!m) return [];
  const i = input.line.plain.indexOf(m[1]);
  return i < 0 ? [] : [replace(replaceWord(input.line, i, m[2]), `\`${m[1]}\` is an alias of \`${m[2]}\`.`, 0.9)];
});

const remoteDelete = gitRule('remote-delete', (input, sub) => {
  if (input.line.plain[sub] !== 'remote' || input.line.plain[sub + 1] !== 'delete') return [];
  return [replace(replaceWord(input.line, sub + 1, 'remove'), 'git removes remotes with `git remote remove`.', 0.9)];
});

const rebaseInProgress = gitRule('rebase-in-progress', (input) => {
  if (!/already a rebase-merge directory|already a rebase-apply directory|middle of another rebase/.test(input.output))
    return [];
  const options = ['git rebase --continue', 'git rebase --abort', 'git rebase --skip'];
  return closeMatches(input.command, options, 3, 0).map((c, i) =>
    replace(c, 'A rebase is already in progress; finish or abandon it first.', 0.8 - i * 0.05),
  );
});

const pullNoTracking = gitRule('pull-no-tracking', (input, sub) => {
  if (input.line.plain[sub] !== 'pull' || !/There is no tracking information for the current branch/.test(input.output))
    return [];
  const m = /git branch --set-upstream-to=(\S+) (\S+)/.exec(input.output);
  const branch = m && m[2] !== '<branch>' ? m[2] : 'master';
  const target = m ? m[1].replace('<branch>', branch).replace('<remote>', 'origin') : `origin/${branch}`;
  return [
    replace(
      `git branch --set-upstream-to=${target} ${branch} && ${input.command}`,
      'The branch tracks nothing; set its upstream, then pull.',
      0.85,
    ),
  ];
});

const pullClone = gitRule('pull-clone', (input, sub) => {
  if (input.line.plain[sub] !== 'pull' || !/[Nn]ot a git repository/.test(input.output)) return [];
  const url = input.line.plain.slice(sub + 1).find((w) => /^(?:https?:\/\/|git@|ssh:\/\/)/.test(w));
  return url ? [replace(`git clone ${url}`, 'There is no repository here yet; clone it instead of pulling.', 0.9)] : [];
});

const suggestedPush = gitRule('suggested-command', (input, sub) => {
  if (input.line.plain[sub] !== 'push') return [];
  const m = /^\s{4}(git push \S+ HEAD:\S+)$/m.exec(input.output);
  return m && !m[1].includes('<')
    ? [replace(m[1], 'git suggests pushing to the upstream branch, whose name differs from yours.', 0.85)]
    : [];
});

/** A commit, push or am that failed without saying why: nothing staged, or a hook that rejected it. */
const silentGitFailure = gitRule('silent-failure', (input, sub) => {
  const verb = input.line.plain[sub];
  if (
    !['commit', 'push', 'am'].includes(verb) ||
    (input.output.trim() && !/hook|nothing added to commit|no changes added to commit/.test(input.output))
  )
    return [];
  const out: Proposal[] = [];
  if (verb === 'commit' && !input.line.plain.includes('-a') && !input.line.plain.includes('--all'))
    out.push(
      replace(replaceWord(input.line, sub, 'commit -a'), 'Nothing was staged; `-a` commits all tracked changes.', 0.4),
    );
  if (!input.line.plain.includes('--no-verify'))
    out.push(
      replace(
        replaceWord(input.line, sub, `${verb} --no-verify`),
        'A git hook may have rejected it; `--no-verify` skips hooks (check why first).',
        0.35,
      ),
    );
  if (verb === 'commit')
    out.push(
      replace('git reset HEAD~', 'To undo the last commit instead (keeps the changes in the working tree).', 0.25),
    );
  return out;
});

const conflicts: Rule = {
  id: 'git.merge-conflict',
  tools: ['git'],
  propose(input) {
    return input.events
      .filter((e) => e.category === Category.gitMergeConflict)
      .map((e) =>
        advice(
          `Resolve the conflict markers in ${e.data?.path}, then \`git add ${e.data?.path}\` and commit`,
          `The merge stopped because ${e.data?.path} changed on both sides.`,
          0.7,
          e,
        ),
      );
  },
};

const detachedHead: Rule = {
  id: 'git.detached-head',
  tools: ['git'],
  propose(input) {
    return input.events
      .filter((e) => e.category === Category.gitDetachedHead)
      .map((e) =>
        advice(
          'Create a branch here with `git switch -c <name>`, then push it',
          'HEAD is detached, so there is no branch to push.',
          0.7,
          e,
        ),
      );
  },
};

const notARepo: Rule = {
  id: 'git.not-a-repo',
  tools: ['git'],
  propose(input) {
    const e = input.events.find((ev) => ev.category === Category.gitNotARepo);
    if (!e || /pull/.test(input.command)) return [];
    return [
      runFirst('git init', 'This directory is not a git repository yet (or you are in the wrong directory).', 0.5, e),
    ];
  },
};

export const gitRules: Rule[] = [
  pushSetUpstream,
  pushRejected,
  suggestedPush,
  twoDashes,
  branchZeroFlag,
  branchExists,
  branchDeleteCheckedOut,
  mainMaster,
  rmFlags,
  stashFirst,
  tagForce,
  stashSubcommand,
  helpAliased,
  remoteDelete,
  rebaseInProgress,
  pullNoTracking,
  pullClone,
  notACommand,
  silentGitFailure,
  conflicts,
  detachedHead,
  notARepo,
];
