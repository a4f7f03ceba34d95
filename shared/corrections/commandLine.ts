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
