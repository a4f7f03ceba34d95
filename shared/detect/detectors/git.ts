// git: push without upstream, rejected pushes, unknown subcommands, conflicts, detached HEAD, not a repository.
import { blockDetector, type Found } from '../block';
import { Category } from '../categories';

interface State {
  found: Found;
  collect?: 'suggestion' | 'similar';
}

function begin(line: string): State | undefined {
  let m = /^fatal: The current branch (\S+) has no upstream branch\.$/.exec(line);
  if (m)
    return {
      found: {
        tool: 'git',
        category: Category.gitNoUpstream,
        severity: 'error',
        message: line.replace(/^fatal: /, ''),
        data: { branch: m[1] },
      },
      collect: 'suggestion',
    };
  if ((m = /^ ! \[rejected\]\s+(\S+) -> (\S+) \((fetch first|non-fast-forward)\)$/.exec(line)))
    return {
      found: {
        tool: 'git',
        category: Category.gitNonFastForward,
        severity: 'error',
        message: `push rejected: ${m[2]} (${m[3]})`,
        data: { branch: m[2] },
      },
    };
  if ((m = /^git: '([^']+)' is not a git command\./.exec(line)))
    return {
      found: {
        tool: 'git',
        category: Category.unknownSubcommand,
        severity: 'error',
        message: `'${m[1]}' is not a git command`,
        data: { command: 'git', subcommand: m[1] },
      },
      collect: 'similar',
    };
  if ((m = /^CONFLICT \(([^)]+)\): Merge conflict in (.+)$/.exec(line)))
    return {
      found: {
        tool: 'git',
        category: Category.gitMergeConflict,
        severity: 'error',
        message: line,
        file: m[2],
        data: { path: m[2], kind: m[1] },
      },
    };
  if (/^fatal: You are not currently on a branch\.$/.test(line))
    return {
      found: {
        tool: 'git',
        category: Category.gitDetachedHead,
        severity: 'error',
        message: 'You are not currently on a branch (detached HEAD)',
      },
      collect: 'suggestion',
    };
  if (/^fatal: not a git repository/.test(line))
    return {
      found: { tool: 'git', category: Category.gitNotARepo, severity: 'error', message: line.replace(/^fatal: /, '') },
    };
  if ((m = /^error: pathspec '([^']+)' did not match any file\(s\) known to git/.exec(line)))
    return {
      found: {
        tool: 'git',
        category: Category.fileNotFound,
        severity: 'error',
        message: line.replace(/^error: /, ''),
        data: { path: m[1], kind: 'pathspec' },
      },
    };
  if (/^error: failed to push some refs to |^hint: |^Automatic merge failed; fix conflicts/.test(line))
    return { found: { tool: '', category: '', severity: 'info', message: '' } };
  return undefined;
}

export const gitDetector = blockDetector<State>(
  'git',
  /^fatal: |^ ! \[rejected\]|^git: '|^CONFLICT \(|^error: (?:pathspec|failed to push)|^hint: |^Automatic merge failed/,
  {
    begin,
    next: (s, line) => {
      if (s.collect === 'suggestion') {
        const m = /^\s{2,}(git .+)$/.exec(line);
        if (m) {
          s.found.data = { ...s.found.data, suggestion: m[1] };
          s.collect = undefined;
          return 'take';
        }
        return /^\S.*[^.]$|^$|^To |^state now/.test(line) || line.trim() === '' ? 'take' : 'end';
      }
      if (s.collect === 'similar') {
        if (/^The most similar commands? (?:is|are)$/.test(line) || line.trim() === '') return 'take';
        const m = /^\t(\S+)$/.exec(line);
        if (m) {
          const prev = s.found.data?.suggestion;
          s.found.data = { ...s.found.data, suggestion: prev ? `${prev},${m[1]}` : m[1] };
          return 'take';
        }
        return 'end';
      }
      return 'end';
    },
    // Follow-up lines (hints, "failed to push some refs") are claimed without an event of their own.
    finish: (s) => (s.found.tool ? s.found : undefined),
    maxLines: 12,
  },
);
