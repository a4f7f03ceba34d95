// Tool-agnostic command-line corrections.
import {
  commandWords,
  joinWords,
  type CommandWord,
  programIndex,
  replaceSpan,
  replaceWord,
} from '../corrections/commandLine';
import {
  closestCommands,
  COMMON_TOOLS,
  installCommand,
  installedName,
  isKnownProgram,
  missingCommand,
  needsRoot,
  packageFor,
  packageManager,
  versionedNames,
} from '../corrections/executables';
import { rankedCandidates, toolSuggestion } from '../corrections/didYouMean';
import { closeMatches } from '../corrections/similarity';
import { Category } from '../detect/categories';
import type { ErrorEvent } from '../detect/detector';
import { advice, replace, runFirst, type Proposal, type Rule, type RuleInput } from './rule';

/** Index of the word the tool rejected, or of the subcommand-like word closest to the candidates. */
export function typoIndex(input: RuleInput, typo: string | undefined, candidates: string[]): number {
  const { plain } = input.line;
  const start = programIndex(input.line) + 1;
  if (typo) {
    for (let i = start; i < plain.length; i++) if (plain[i] === typo) return i;
    for (let i = start; i < plain.length; i++) if (plain[i].endsWith(typo) || typo.endsWith(plain[i])) return i;
  }
  let best = -1;
  let bestScore = 0;
  for (let i = start; i < plain.length; i++) {
    if (plain[i].startsWith('-')) continue;
    const score = closeMatches(plain[i], candidates, 1, 0.5).length ? 1 / (i - start + 1) : 0;
    if (score > bestScore) [best, bestScore] = [i, score];
  }
  return best;
}

/** The tool said what it meant: replace the rejected word with each of its suggestions. */
export const didYouMean: Rule = {
  id: 'generic.did-you-mean',
  propose(input) {
    const s = toolSuggestion(input.output, input.program);
    if (!s) return [];
    const index = typoIndex(input, s.typo, s.candidates);
    if (index < 0) {
      // A whole corrected command ("Did you mean 'conda list'?").
      const full = s.candidates.find((c) => c.includes(' ') && c.split(' ')[0] === input.program);
      return full ? [replace(full, `${input.program} suggested \`${full}\`.`, 0.85)] : [];
    }
    const typed = input.line.plain[index];
    const ranked = rankedCandidates(s, typed).filter((c) => c !== typed);
    return ranked.map((c, i) => {
      const full = c.includes(' ') && c.split(' ')[0] === input.program ? c : replaceWord(input.line, index, c);
      return replace(
        full,
        `${input.program} does not know \`${typed}\`; it suggests \`${c}\`.`,
        (s.list ? 0.75 : 0.85) - i * 0.05,
      );
    });
  },
};

/** `gti status`: a misspelled program, corrected against the executables on PATH; else how to install it. */
export const commandTypo: Rule = {
  id: 'generic.command-typo',
  propose(input) {
    const notFound = input.events.find((e) => e.category === Category.commandNotFound);
    const said = missingCommand(input.output);
    // No output at all, yet the program is nowhere on PATH: the shell's complaint was not captured.
    const silent = !input.output.trim() && input.exitCode !== 0 ? commandWords(input.command)[0]?.value : undefined;
    const typed =
      notFound?.data?.command ?? said?.name ?? (silent && !SHELL_BUILTINS.includes(silent) ? silent : undefined);
    if (!typed || typed.includes('/')) return [];
    if (input.env.executables().has(typed)) return sudoPath(input, typed);
    // The failing program word: the one the shell named, wherever it is on the line (`npm ci && gti status`).
    const target = commandWords(input.command).find((w) => w.value === typed);
    const where = said?.script ? ` (called by ${said.script}${said.line ? ` at line ${said.line}` : ''})` : '';
    const out: Proposal[] = [];
    const known = [...input.env.executables(), ...SHELL_BUILTINS];
    // A program Heal knows by name is missing rather than misspelled: `htop` is not a typo of `top`.
    const installable = isKnownProgram(typed);
    // Without the shell's word for it, only the surest corrections: one edit away, or an argument glued on.
    const unsure = !notFound && !said;
    const matches = closestCommands(typed, known, 3).filter(
      (m) => (!installable || isSwap(typed, m.name)) && (!unsure || m.distance === 1),
    );
    // `python` when only `python3` is installed: the same program by its versioned name.
    const versioned = versionedNames(typed, input.env.executables()).slice(0, 1);
    for (const name of versioned) {
      const why = `\`${typed}\` is not installed under that name, but \`${name}\` is.`;
      out.push(
        target
          ? replace(replaceSpan(input.command, target.start, target.end, name), why, 0.85)
          : advice(`Use \`${name}\`${where}`, why, 0.6, notFound),
      );
    }
    matches.forEach((m, i) => {
      const why = `\`${typed}\` is not a command; \`${m.name}\` is the closest one on PATH${m.distance === 1 ? '' : ` (${m.distance} letters apart)`}.`;
      const confidence = (installable ? 0.55 : m.distance === 1 ? 0.8 : 0.7) - i * 0.05 - (unsure ? 0.2 : 0);
      out.push(
        target
          ? replace(replaceSpan(input.command, target.start, target.end, m.name), why, confidence)
          : advice(`Did you mean \`${m.name}\`${where}?`, why, confidence - 0.2, notFound),
      );
    });
    // `git-log`, `docker-compose`: a program and its subcommand joined by a hyphen.
    const hyphen = /^([\w.]+)-([a-z][a-z-]{2,})$/.exec(typed);
    if (hyphen && target && input.env.executables().has(hyphen[1])) {
      out.push(
        replace(
          replaceSpan(input.command, target.start, target.end, `${hyphen[1]} ${hyphen[2]}`),
          `\`${typed}\` looks like \`${hyphen[1]} ${hyphen[2]}\` with a hyphen for the space.`,
          0.75,
        ),
      );
    }
    // `mandiff`: a known program with its argument typed without a space.
    for (let k = typed.length - 3; k >= 2 && target && !hyphen; k--) {
      const head = typed.slice(0, k);
      if (
        input.env.executables().has(head) &&
        (COMMON_TOOLS.includes(head) || k >= 4) &&
        /^[a-z]{3,}$/.test(typed.slice(k))
      ) {
        out.push(
          replace(
            replaceSpan(input.command, target.start, target.end, `${head} ${typed.slice(k)}`),
            `\`${typed}\` looks like \`${head}\` with its argument typed without a space.`,
            0.75,
          ),
        );
        break;
      }
    }
    // What the platform's handler offered instead (Ubuntu): programs that are not installed yet.
    for (const o of said?.offered ?? []) {
      if (!o.install || input.env.executables().has(o.name)) continue;
      out.push(
        advice(
          `Did you mean \`${o.name}\`? Install it with \`${o.install}\``,
          `\`${typed}\` is not a command; the system suggests \`${o.name}\`.`,
          0.45,
          notFound,
        ),
      );
    }
    if ((matches.length === 0 || installable) && versioned.length === 0 && !unsure)
      out.push(...installProposals(input, typed, target, said?.install, notFound, where));
    return out;
  },
};

/**
 * `sudo npm …` → `sudo: npm: command not found` although npm is on PATH: sudo runs with its own secure_path
 * (nvm, ~/.local/bin, … are not on it). Keep the user's PATH for that one command.
 */
function sudoPath(input: RuleInput, typed: string): Proposal[] {
  const { words } = input.line;
  const at = input.line.plain.findIndex((w, i) => w === typed && i > 0 && input.line.plain[i - 1] === 'sudo');
  if (at < 0 || !/^sudo: (?:\S+: )?command not found/m.test(input.output)) return [];
  return [
    replace(
      joinWords([...words.slice(0, at), 'env', '"PATH=$PATH"', ...words.slice(at)]),
      `\`${typed}\` is on your PATH but not on sudo's (secure_path); this passes your PATH through sudo.`,
      0.75,
    ),
  ];
}

/** `sl` → `ls`: the same letters with two neighbours swapped. */
function isSwap(typed: string, candidate: string): boolean {
  if (typed.length !== candidate.length) return false;
  const diffs = [...typed].flatMap((c, i) => (c === candidate[i] ? [] : [i]));
  return (
    diffs.length === 2 &&
    diffs[1] === diffs[0] + 1 &&
    typed[diffs[0]] === candidate[diffs[1]] &&
    typed[diffs[1]] === candidate[diffs[0]]
  );
}

/** How to install a missing program on this platform. A system package manager needs root: that is said, never hidden. */
function installProposals(
  input: RuleInput,
  name: string,
  target: CommandWord | undefined,
  platformSays: string | undefined,
  event: ErrorEvent | undefined,
  where: string,
): Proposal[] {
  const executables = input.env.executables();
  if (platformSays)
    return [
      runFirst(
        platformSays,
        `\`${name}\` is not installed${where}; the system says this installs it${/^sudo /.test(platformSays) ? ' (as root, with sudo)' : ''}.`,
        0.75,
        event,
      ),
    ];
  const manager = packageManager(input.env.platform, executables);
  const pkg = manager && packageFor(name, manager);
  const asRoot = (manager && needsRoot(manager) && input.env.isRoot !== true) || false;
  if (manager && pkg) {
    const plain = installCommand(manager, pkg);
    const pkgNote = pkg === name ? '' : ` (the package is ${pkg})`;
    if (asRoot && !executables.has('sudo')) {
      return [
        advice(
          `Install ${name} as root: \`${plain}\``,
          `\`${name}\` is not installed${where}; ${manager} provides it${pkgNote}, and installing needs root.`,
          0.6,
          event,
        ),
      ];
    }
    const command = asRoot ? `sudo ${plain}` : plain;
    const why = `\`${name}\` is not installed${where}; ${manager} provides it${pkgNote}${asRoot ? ', and installing needs root (sudo)' : ''}`;
    const renamed = installedName(name, manager);
    if (renamed !== name && executables.has(renamed) && target) {
      return [
        {
          ...replace(
            replaceSpan(input.command, target.start, target.end, renamed),
            `\`${name}\` is installed as \`${renamed}\` here (${manager}'s package ${pkg} renames it).`,
            0.85,
          ),
          event,
        },
      ];
    }
    if (renamed !== name) {
      // Installed under another name: run it by that name afterwards.
      if (target)
        return [
          {
            ...replace(
              `${command} && ${replaceSpan(input.command, target.start, target.end, renamed)}`,
              `${why}; it installs the program as \`${renamed}\`.`,
              0.7,
            ),
            event,
          },
        ];
      return [
        advice(`Install it with \`${command}\`; the program is then called \`${renamed}\``, `${why}.`, 0.6, event),
      ];
    }
    return [runFirst(command, `${why}.`, 0.75, event)];
  }
  const hint = manager
    ? ` (e.g. \`${asRoot ? 'sudo ' : ''}${installCommand(manager, name)}\` if a package has that name)`
    : '';
  return [
    advice(
      `Check the spelling of \`${name}\`, or install it${hint}`,
      `\`${name}\` is not installed${where} and no command on PATH is close to it.`,
      0.3,
      event,
    ),
  ];
}

const SHELL_BUILTINS = ['cd', 'echo', 'export', 'source', 'alias', 'type', 'exit', 'pwd', 'set', 'unset', 'ls'];

/** `$ cd x` pasted with the prompt. */
export const promptLiteral: Rule = {
  id: 'generic.prompt-literal',
  propose(input) {
    if (!/^\s*\$\s/.test(input.command)) return [];
    const fixed = input.command.replace(/^(?:\s*\$\s+)+/, '');
    return fixed ? [replace(fixed, 'The command was pasted with its `$ ` prompt.', 0.9)] : [];
  },
};

/** Keyboard slips: a trailing `ç` (Alt-C on some layouts) and non-breaking spaces (Alt-Space). */
export const keyboardSlips: Rule = {
  id: 'generic.keyboard-slips',
  propose(input) {
    const out: Proposal[] = [];
    if (/ç$/.test(input.command))
      out.push(replace(input.command.replace(/ç+$/, ''), 'The line ends with a stray `ç`.', 0.9));
    if (input.command.includes('\u00a0'))
      out.push(
        replace(
          input.command.replace(/\u00a0/g, ' '),
          'The line contains a non-breaking space where a space was meant.',
          0.9,
        ),
      );
    return out;
  },
};

/** `git git push`, `git clone git clone url`: the command typed twice. */
export const repeatedCommand: Rule = {
  id: 'generic.repeated-command',
  propose(input) {
    const { words, plain } = input.line;
    const p = programIndex(input.line);
    if (plain[p + 1] === plain[p])
      return [
        replace(joinWords([...words.slice(0, p + 1), ...words.slice(p + 2)]), `\`${plain[p]}\` was typed twice.`, 0.85),
      ];
    if (plain.length > p + 3 && plain[p + 2] === plain[p] && plain[p + 3] === plain[p + 1]) {
      return [
        replace(
          joinWords([...words.slice(0, p + 2), ...words.slice(p + 4)]),
          `\`${plain[p]} ${plain[p + 1]}\` was typed twice.`,
          0.85,
        ),
      ];
    }
    return [];
  },
};

/** `… -h` where most tools mean `--help`. */
export const longFormHelp: Rule = {
  id: 'generic.long-form-help',
  propose(input) {
    const i = input.line.plain.indexOf('-h');
    if (
      i < 0 ||
      input.line.plain.includes('--help') ||
      !/^\s*$|invalid option|unknown (?:option|shorthand flag)|requires an argument|usage:/i.test(input.output)
    )
      return [];
    return [replace(replaceWord(input.line, i, '--help'), '`-h` is not help for every tool; `--help` is.', 0.55)];
  },
};

export const genericRules: Rule[] = [
  promptLiteral,
  keyboardSlips,
  repeatedCommand,
  didYouMean,
  commandTypo,
  longFormHelp,
];
