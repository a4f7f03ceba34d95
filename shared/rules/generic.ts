// Tool-agnostic command-line corrections.
import { joinWords, programIndex, replaceWord } from '../corrections/commandLine';
import { rankedCandidates, toolSuggestion } from '../corrections/didYouMean';
import { closeMatches } from '../corrections/similarity';
import { Category } from '../detect/categories';
import { replace, type Proposal, type Rule, type RuleInput } from './rule';

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
    const s = toolSuggestion(input.output);
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
      return replace(full, `${input.program} does not know \`${typed}\`; it suggests \`${c}\`.`, (s.list ? 0.75 : 0.85) - i * 0.05);
    });
  },
};

/** `gti status`: a misspelled program, corrected against the executables on PATH. */
export const commandTypo: Rule = {
  id: 'generic.command-typo',
  propose(input) {
    const notFound = input.events.find((e) => e.category === Category.commandNotFound);
    if (!notFound && !/command not found|: not found$|is not recognized as an internal or external command/m.test(input.output)) return [];
    const index = programIndex(input.line);
    const typed = notFound?.data?.command ?? input.line.plain[index];
    if (!typed || input.env.executables().has(typed)) return [];
    const known = [...input.env.executables(), ...SHELL_BUILTINS];
    const out: Proposal[] = [];
    // `mandiff`: a known program with its argument glued on.
    for (let k = typed.length - 2; k >= 2; k--) {
      if (input.env.executables().has(typed.slice(0, k))) {
        out.push(replace(replaceWord(input.line, index, `${typed.slice(0, k)} ${typed.slice(k)}`), `\`${typed}\` looks like \`${typed.slice(0, k)}\` with its argument typed without a space.`, 0.75));
        break;
      }
    }
    const matches = closeMatches(typed, known, 8, 0.5)
      .filter((m) => Math.abs(m.length - typed.length) <= 2)
      .sort((a, b) => keyboardSlip(typed, b) - keyboardSlip(typed, a))
      .slice(0, 3);
    out.push(...matches.map((m, i) => replace(replaceWord(input.line, index, m), `\`${typed}\` is not a command; \`${m}\` is the closest one on PATH.`, 0.8 - i * 0.05)));
    return out;
  },
};

const QWERTY = ['1234567890-=', 'qwertyuiop[]', "asdfghjkl;'", 'zxcvbnm,./'];

function keyPosition(ch: string): [number, number] | undefined {
  for (let r = 0; r < QWERTY.length; r++) {
    const c = QWERTY[r].indexOf(ch);
    if (c >= 0) return [r, c];
  }
  return undefined;
}

/** 1 when `candidate` differs from `typed` by one substituted key that is next to the typed one. */
export function keyboardSlip(typed: string, candidate: string): number {
  if (typed.length !== candidate.length) return 0;
  const diffs = [...typed].map((ch, i) => [ch, candidate[i]] as const).filter(([a, b]) => a !== b);
  if (diffs.length !== 1) return 0;
  const [a, b] = diffs[0].map((c) => keyPosition(c.toLowerCase()));
  return a && b && Math.abs(a[0] - b[0]) <= 1 && Math.abs(a[1] - b[1]) <= 1 ? 1 : 0;
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
    if (/ç$/.test(input.command)) out.push(replace(input.command.replace(/ç+$/, ''), 'The line ends with a stray `ç`.', 0.9));
    if (input.command.includes('\u00a0')) out.push(replace(input.command.replace(/\u00a0/g, ' '), 'The line contains a non-breaking space where a space was meant.', 0.9));
    return out;
  },
};

/** `git git push`, `git clone git clone url`: the command typed twice. */
export const repeatedCommand: Rule = {
  id: 'generic.repeated-command',
  propose(input) {
    const { words, plain } = input.line;
    const p = programIndex(input.line);
    if (plain[p + 1] === plain[p]) return [replace(joinWords([...words.slice(0, p + 1), ...words.slice(p + 2)]), `\`${plain[p]}\` was typed twice.`, 0.85)];
    if (plain.length > p + 3 && plain[p + 2] === plain[p] && plain[p + 3] === plain[p + 1]) {
      return [replace(joinWords([...words.slice(0, p + 2), ...words.slice(p + 4)]), `\`${plain[p]} ${plain[p + 1]}\` was typed twice.`, 0.85)];
    }
    return [];
  },
};

/** `… -h` where most tools mean `--help`. */
export const longFormHelp: Rule = {
  id: 'generic.long-form-help',
  propose(input) {
    const i = input.line.plain.indexOf('-h');
    if (i < 0 || input.line.plain.includes('--help') || !/^\s*$|invalid option|unknown (?:option|shorthand flag)|requires an argument|usage:/i.test(input.output)) return [];
    return [replace(replaceWord(input.line, i, '--help'), '`-h` is not help for every tool; `--help` is.', 0.55)];
  },
};

export const genericRules: Rule[] = [promptLiteral, keyboardSlips, repeatedCommand, didYouMean, commandTypo, longFormHelp];
