// A command line as words that keep their original quoting, so a correction changes only what it must.

export interface CommandLine {
  /** The words as typed (quotes kept). */
  words: string[];
  /** The words with quotes removed, for matching. */
  plain: string[];
}

/** Splits on unquoted whitespace; handles '…', "…" and backslash escapes. Never throws. */
export function splitCommand(script: string): CommandLine {
  const words: string[] = [];
  const plain: string[] = [];
  let raw = '';
  let value = '';
  let quote: '"' | "'" | undefined;
  let inWord = false;
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (quote) {
      raw += ch;
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < script.length) {
        raw += script[++i];
        value += script[i];
      } else value += ch;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (inWord) {
        words.push(raw);
        plain.push(value);
      }
      raw = value = '';
      inWord = false;
      continue;
    }
    inWord = true;
    raw += ch;
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '\\' && i + 1 < script.length) {
      raw += script[++i];
      value += script[i];
    } else value += ch;
  }
  if (inWord) {
    words.push(raw);
    plain.push(value);
  }
  return { words, plain };
}

export function joinWords(words: string[]): string {
  return words.join(' ');
}

/** Replaces the word at `index` (typed form) and returns the new command line. */
export function replaceWord(line: CommandLine, index: number, replacement: string): string {
  const words = [...line.words];
  words[index] = replacement;
  return joinWords(words);
}

/** Index of the first word that is not an option, starting after `from`. */
export function nextPositional(line: CommandLine, from: number): number {
  for (let i = from; i < line.plain.length; i++) if (!line.plain[i].startsWith('-')) return i;
  return -1;
}

/** The program name without its path (`./bin/hdfs` → `hdfs`), and without `sudo`/`env` wrappers. */
export function programIndex(line: CommandLine): number {
  let i = 0;
  while (i < line.plain.length && /^(?:sudo|env|time|nohup|command|exec|\$)$/.test(line.plain[i])) i++;
  return i;
}

export function programName(line: CommandLine): string {
  const word = line.plain[programIndex(line)] ?? '';
  return word.split('/').pop() ?? word;
}

/** A word of a command line in command position, with its span in the raw text. */
export interface CommandWord {
  /** The program as the shell sees it (quotes removed). */
  value: string;
  /** [start, end) of the word in the raw command line. */
  start: number;
  end: number;
}

interface RawWord {
  value: string;
  start: number;
  end: number;
  /** Raw offset of each character of `value`. */
  map: number[];
  /** An operator (`&&`, `||`, `|`, `;`, `&`, `(`, `)`, newline) rather than a word. */
  operator?: boolean;
}

const OPERATOR = /^(?:&&|\|\||\|&|;;|[|;&()\n])/;

function rawWords(script: string): RawWord[] {
  const out: RawWord[] = [];
  let i = 0;
  while (i < script.length) {
    const ch = script[i];
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    const op = OPERATOR.exec(script.slice(i, i + 2));
    if (op) {
      out.push({ value: op[0], start: i, end: i + op[0].length, map: [], operator: true });
      i += op[0].length;
      continue;
    }
    const start = i;
    let value = '';
    const map: number[] = [];
    let quote: string | undefined;
    for (; i < script.length; i++) {
      const c = script[i];
      if (quote) {
        if (c === quote) quote = undefined;
        else if (c === '\\' && quote === '"' && /["\\$`]/.test(script[i + 1] ?? '')) {
          value += script[++i];
          map.push(i);
        } else {
          value += c;
          map.push(i);
        }
        continue;
      }
      if (c === ' ' || c === '\t' || OPERATOR.test(c)) break;
      if (c === '"' || c === "'") quote = c;
      else if (c === '\\' && i + 1 < script.length) {
        value += script[++i];
        map.push(i);
      } else {
        value += c;
        map.push(i);
      }
    }
    out.push({ value, start, end: i, map });
  }
  return out;
}

const WRAPPERS =
  /^(?:sudo|doas|env|time|nohup|command|exec|nice|ionice|xargs|watch|timeout|stdbuf|builtin|then|do|else|if|while|until|!|\{)$/;
const WRAPPER_VALUED: Record<string, RegExp> = {
  sudo: /^-[ugCDhpr]$/,
  timeout: /^-[sk]$/,
  nice: /^-n$/,
  xargs: /^-[IdEnLPs]$/,
  watch: /^-[nd]$/,
};
const SHELLS = /^(?:bash|sh|zsh|dash|ksh|fish)$/;

/**
 * The program words of every simple command on the line — after `&&`, `||`, `|`, `;`, past assignments and
 * wrappers such as `sudo` or `env`, and inside `bash -c "…"` — with their spans, so a correction can change
 * the word that failed and nothing else.
 */
export function commandWords(script: string, offset = 0, depth = 0): CommandWord[] {
  const words = rawWords(script);
  const out: CommandWord[] = [];
  let expectProgram = true;
  let wrapper: string | undefined;
  let program: string | undefined;
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (w.operator) {
      expectProgram = true;
      wrapper = program = undefined;
      continue;
    }
    if (expectProgram) {
      if (/^[A-Za-z_]\w*=/.test(w.value)) continue;
      if (wrapper && w.value.startsWith('-')) {
        if (WRAPPER_VALUED[wrapper]?.test(w.value)) k++;
        continue;
      }
      if (wrapper === 'timeout' && /^\d/.test(w.value)) continue;
      const base = w.value.split('/').pop() ?? w.value;
      if (WRAPPERS.test(base)) {
        wrapper = base;
        continue;
      }
      out.push({ value: w.value, start: offset + w.start, end: offset + w.end });
      expectProgram = false;
      program = base;
      continue;
    }
    // `bash -c "gti status"`: the script given to a shell is a command line of its own.
    if (
      program &&
      SHELLS.test(program) &&
      /^-\w*c$/.test(w.value) &&
      words[k + 1] &&
      !words[k + 1].operator &&
      depth < 3
    ) {
      const inner = words[k + 1];
      const contiguous = inner.map.every((p, j) => j === 0 || p === inner.map[j - 1] + 1);
      if (contiguous && inner.map.length) {
        out.push(...commandWords(inner.value, offset + inner.map[0], depth + 1));
      }
      k++;
    }
  }
  return out;
}

/** `script` with the span [start, end) replaced. */
export function replaceSpan(script: string, start: number, end: number, text: string): string {
  return script.slice(0, start) + text + script.slice(end);
}
