// The detectors' triggers compiled for fast searching of raw output. One big alternation makes the regex engine
// try every branch at every position, which is slow; split, each part is fast: branches anchored at the start of
// a line are tried once per line (a sticky regex), the others are searched in two groups (by whether they start
// with a lower-case letter, which keeps each group's set of possible first characters small).

/** Splits a regex source at its top-level `|` (outside groups and classes). */
export function topLevelBranches(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let current = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      current += c + (source[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    if (c === '|' && depth === 0 && !inClass) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

export interface TriggerSet {
  /** Sticky: test with `lastIndex` at a line start. */
  atLineStart: RegExp | undefined;
  /** Global, multi-line: searched through the text. */
  anywhere: RegExp[];
  /** Whether one (cleaned) line matches any trigger. */
  matchesLine(line: string): boolean;
}

export function compileTriggers(sources: string[]): TriggerSet {
  const branches = sources.flatMap(topLevelBranches);
  // `^` at the very start anchors the whole branch (a `^` inside a group stays where it is: it still works, there).
  const anchored = branches.filter((b) => b.startsWith('^')).map((b) => b.slice(1));
  const loose = branches.filter((b) => !b.startsWith('^'));
  const group = (list: string[], flags: string) => (list.length ? new RegExp(list.map((b) => `(?:${b})`).join('|'), flags) : undefined);
  const atLineStart = group(anchored, 'ym');
  const anywhere = [group(loose.filter((b) => /^[a-z]/.test(b)), 'gm'), group(loose.filter((b) => !/^[a-z]/.test(b)), 'gm')].filter((r): r is RegExp => Boolean(r));
  return {
    atLineStart,
    anywhere,
    matchesLine(line) {
      for (const re of anywhere) {
        re.lastIndex = 0;
        if (re.test(line)) return true;
      }
      if (!atLineStart) return false;
      atLineStart.lastIndex = 0;
      return atLineStart.test(line);
    },
  };
}
