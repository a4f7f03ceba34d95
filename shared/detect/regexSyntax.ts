// The JavaScript regex sources detectors use as triggers (the non-Unicode syntax, Annex B included), parsed by
// regexpp (ESLint's regex parser) into a small syntax tree that the trigger prefilter reads: which literals every match must contain, and a version
// of the regex that runs over the raw UTF-8 bytes (as latin1 text) and matches wherever the original matches the
// decoded text. Flags are applied while parsing (`i` folds ASCII case, `s` widens the dot, `m` drops the anchors),
// so the tree needs no flags. Anything unusual throws `Unsupported`; the caller then treats the trigger as opaque.

import { RegExpParser, type AST } from '@eslint-community/regexpp';

export class Unsupported extends Error {}

/** A set of characters: the ASCII ones exactly (bit i of `ascii` for code i), and whether it holds any above 0x7f. */
export interface CharSet {
  type: 'set';
  ascii: boolean[];
  high: boolean;
}

export type Node =
  /** One ASCII character. */
  | { type: 'char'; code: number }
  /** One non-ASCII character, as its UTF-8 bytes. */
  | { type: 'bytes'; bytes: number[] }
  | CharSet
  | { type: 'seq'; items: Node[] }
  | { type: 'alt'; alts: Node[] }
  | { type: 'look'; body: Node; behind: boolean; negate: boolean }
  | { type: 'repeat'; body: Node; min: number; max: number; lazy: boolean }
  | { type: 'assert'; kind: 'start' | 'end' | 'word' | 'nonword' }
  /** A backreference: any text. */
  | { type: 'backref' };

const emptySet = (): CharSet => ({ type: 'set', ascii: new Array<boolean>(128).fill(false), high: false });

function range(set: CharSet, from: number, to: number): void {
  for (let c = from; c <= Math.min(to, 127); c++) set.ascii[c] = true;
  if (to > 127) set.high = true;
}

const SPACE = [9, 10, 11, 12, 13, 32];

/** `\d \D \w \W \s \S` into `set`. */
function addClassEscape(set: CharSet, letter: string): void {
  const base = emptySet();
  const lower = letter.toLowerCase();
  if (lower === 'd') range(base, 48, 57);
  else if (lower === 'w') {
    range(base, 48, 57);
    range(base, 65, 90);
    range(base, 97, 122);
    base.ascii[95] = true;
  } else {
    for (const c of SPACE) base.ascii[c] = true;
    base.high = true; // U+00A0, U+FEFF, U+2028…
  }
  const negate = letter !== lower;
  for (let c = 0; c < 128; c++) if (base.ascii[c] !== negate) set.ascii[c] = true;
  if (negate || base.high) set.high = true;
}

function foldCase(set: CharSet): void {
  for (let c = 65; c <= 90; c++) {
    if (set.ascii[c] || set.ascii[c + 32]) set.ascii[c] = set.ascii[c + 32] = true;
  }
}

function utf8(code: number): number[] {
  return [...Buffer.from(String.fromCodePoint(code), 'utf8')];
}

/** A set standing for one non-ASCII character that cannot be spelled as bytes (any high bytes). */
const anyHigh = (): CharSet => ({ ...emptySet(), high: true });

export interface ParseFlags {
  ignoreCase: boolean;
  dotAll: boolean;
  multiline: boolean;
}

export function flagsOf(flags: string): ParseFlags {
  if (/[uv]/.test(flags)) throw new Unsupported(`flags ${flags}`);
  return { ignoreCase: flags.includes('i'), dotAll: flags.includes('s'), multiline: flags.includes('m') };
}

/** Parses a regex source (non-Unicode mode, Annex B included) with the given flags. */
export function parseRegex(source: string, flags: ParseFlags): Node {
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ strict: false }).parsePattern(source, 0, source.length, { unicode: false });
  } catch (e) {
    throw new Unsupported(`${(e as Error).message} in /${source}/`);
  }

  const charNode = (code: number): Node => {
    if (code < 128) {
      if (flags.ignoreCase && /[A-Za-z]/.test(String.fromCharCode(code))) {
        const set = emptySet();
        set.ascii[code] = true;
        foldCase(set);
        return set;
      }
      return { type: 'char', code };
    }
    // Case folding can map a non-ASCII character to other non-ASCII ones (never to ASCII without `u`): no exact
    // bytes then. A lone surrogate never occurs in decoded text; any high bytes is a safe stand-in for both.
    if (flags.ignoreCase || code === 0xfffd || (code >= 0xd800 && code <= 0xdfff)) return anyHigh();
    return { type: 'bytes', bytes: utf8(code) };
  };

  const escapeSet = (element: AST.EscapeCharacterSet, set = emptySet()): CharSet => {
    addClassEscape(set, element.negate ? element.kind[0].toUpperCase() : element.kind[0]);
    return set;
  };

  const classNode = (element: AST.CharacterClass): CharSet => {
    const set = emptySet();
    for (const e of element.elements) {
      if (e.type === 'Character') range(set, e.value, e.value);
      else if (e.type === 'CharacterClassRange') range(set, e.min.value, e.max.value);
      else if (e.type === 'CharacterSet' && e.kind !== 'property') escapeSet(e, set);
      else throw new Unsupported(`${e.raw} in /${source}/`);
    }
    if (flags.ignoreCase) foldCase(set);
    if (element.negate) {
      for (let c = 0; c < 128; c++) set.ascii[c] = !set.ascii[c];
      set.high = true;
    }
    return set;
  };

  const alternatives = (alts: AST.Alternative[]): Node => {
    const nodes = alts.map(sequence);
    return nodes.length === 1 ? nodes[0] : { type: 'alt', alts: nodes };
  };

  const sequence = (alt: AST.Alternative): Node => {
    const items: Node[] = [];
    const { elements } = alt;
    for (let k = 0; k < elements.length; k++) {
      const e = elements[k];
      const next = elements[k + 1];
      // Without `u` a character above U+FFFF is two code units; a pair of them matches that character.
      if (
        e.type === 'Character' &&
        next?.type === 'Character' &&
        e.value >= 0xd800 &&
        e.value <= 0xdbff &&
        next.value >= 0xdc00 &&
        next.value <= 0xdfff
      ) {
        const cp = 0x10000 + ((e.value - 0xd800) << 10) + (next.value - 0xdc00);
        items.push(flags.ignoreCase ? anyHigh() : { type: 'bytes', bytes: utf8(cp) });
        k++;
      } else items.push(element(e));
    }
    return items.length === 1 ? items[0] : { type: 'seq', items };
  };

  const element = (e: AST.Element): Node => {
    switch (e.type) {
      case 'Character':
        return charNode(e.value);
      case 'CharacterClass':
        return classNode(e);
      case 'CharacterSet': {
        if (e.kind === 'property') break;
        if (e.kind !== 'any') return escapeSet(e);
        const set = emptySet();
        range(set, 0, 127);
        if (!flags.dotAll) set.ascii[10] = set.ascii[13] = false;
        set.high = true;
        return set;
      }
      case 'Assertion':
        if (e.kind === 'lookahead' || e.kind === 'lookbehind')
          return {
            type: 'look',
            body: alternatives(e.alternatives),
            behind: e.kind === 'lookbehind',
            negate: e.negate,
          };
        if (e.kind === 'word') return { type: 'assert', kind: e.negate ? 'nonword' : 'word' };
        return flags.multiline ? { type: 'seq', items: [] } : { type: 'assert', kind: e.kind };
      case 'Group':
      case 'CapturingGroup':
        if (e.type === 'Group' && e.modifiers) break;
        // A group stays one unit for a following quantifier.
        return { type: 'seq', items: [alternatives(e.alternatives)] };
      case 'Quantifier': {
        const body = element(e.element);
        if (body.type === 'assert') break;
        return { type: 'repeat', body, min: e.min, max: e.max, lazy: !e.greedy };
      }
      case 'Backreference':
        return { type: 'backref' };
    }
    throw new Unsupported(`${e.raw} at ${e.start} in /${source}/`);
  };

  return alternatives(pattern.alternatives);
}

/** The top-level alternatives of a parsed regex. */
export function branchesOf(node: Node): Node[] {
  if (node.type === 'alt') return node.alts;
  if (node.type === 'seq' && node.items.length === 1) return branchesOf(node.items[0]);
  return [node];
}

/**
 * For a branch that must match a whole line (`^…$`): the bytes a line it matches can hold — those its consuming
 * parts match in the byte view (lookarounds consume nothing). Undefined when not anchored at both ends, or when any
 * byte can occur. A line with another byte cannot match, so it needs no regex test.
 */
export function lineBytes(node: Node): boolean[] | undefined {
  const items = node.type === 'seq' ? node.items : [node];
  const anchored = (n: Node | undefined, kind: 'start' | 'end') => n?.type === 'assert' && n.kind === kind;
  if (!anchored(items[0], 'start') || !anchored(items[items.length - 1], 'end')) return undefined;
  const allowed = new Array<boolean>(256).fill(false);
  const add = (n: Node): void => {
    switch (n.type) {
      case 'char':
        allowed[n.code] = true;
        return;
      case 'bytes':
        for (const b of n.bytes) allowed[b] = true;
        return;
      case 'set':
        for (let c = 0; c < 128; c++) if (n.ascii[c]) allowed[c] = true;
        if (n.high) for (let c = 128; c < 256; c++) allowed[c] = true;
        return;
      case 'seq':
        return n.items.forEach(add);
      case 'alt':
        return n.alts.forEach(add);
      case 'repeat':
        return add(n.body);
      case 'backref':
        allowed.fill(true);
        return;
      case 'look':
      case 'assert':
        return;
    }
  };
  add(node);
  return allowed.every(Boolean) ? undefined : allowed;
}

// ---- The byte regex ------------------------------------------------------------------------------------------------

const hex2 = (n: number) => `\\x${n.toString(16).padStart(2, '0')}`;

function asciiClass(ascii: boolean[], withHigh: boolean): string {
  let out = '';
  for (let c = 0; c < 128; c++) {
    if (!ascii[c]) continue;
    let d = c;
    while (d + 1 < 128 && ascii[d + 1]) d++;
    out += d === c ? hex2(c) : `${hex2(c)}-${hex2(d)}`;
    c = d;
  }
  return `[${out}${withHigh ? '\\x80-\\xff' : ''}]`;
}

function charSource(code: number): string {
  return /[A-Za-z0-9]/.test(String.fromCharCode(code)) ? String.fromCharCode(code) : hex2(code);
}

/**
 * A regex over the latin1 view of the UTF-8 bytes that matches every line whose decoded text the original matches:
 * a non-ASCII character becomes its bytes, a class that holds non-ASCII characters also takes 1–4 high bytes per
 * character, negative lookarounds are dropped and backreferences match anything. It may match more lines, never
 * fewer: it only narrows which lines are decoded and given to the detectors, whose own triggers then decide.
 */
export function byteSource(node: Node): string {
  switch (node.type) {
    case 'char':
      return charSource(node.code);
    case 'bytes':
      return node.bytes.map(hex2).join('');
    case 'set':
      if (!node.high) return asciiClass(node.ascii, false);
      return node.ascii.some(Boolean)
        ? `(?:${asciiClass(node.ascii, false)}|[\\x80-\\xff]{1,4})`
        : '[\\x80-\\xff]{1,4}';
    case 'seq':
      return `(?:${node.items.map(byteSource).join('')})`;
    case 'alt':
      return `(?:${node.alts.map(byteSource).join('|')})`;
    case 'look':
      if (node.negate) return '';
      return `(?${node.behind ? '<=' : '='}${byteSource(node.body)})`;
    case 'repeat': {
      const lazy = node.lazy ? '?' : '';
      const body = node.body;
      if (body.type === 'set' && body.high) {
        // Each character is one ASCII byte or 1–4 high bytes; one class over bytes keeps it free of backtracking.
        const max = node.max === Infinity ? '' : String(node.max * 4);
        return `${asciiClass(body.ascii, true)}{${node.min},${max}}${lazy}`;
      }
      const max = node.max === Infinity ? '' : String(node.max);
      return `(?:${byteSource(body)}){${node.min},${max}}${lazy}`;
    }
    case 'assert':
      return node.kind === 'start' ? '^' : node.kind === 'end' ? '$' : node.kind === 'word' ? '\\b' : '\\B';
    case 'backref':
      return '[\\s\\S]*';
  }
}

// ---- Required literals ---------------------------------------------------------------------------------------------
//
// For each node: `exact`, every text it can match (when few); `pre`/`suf`, strings every match starts/ends with;
// `fac`, candidate sets of strings every match contains one of. Strings are latin1 views of UTF-8 bytes, and a line
// boundary (`^`, `$`) is written as "\n" — each line is searched as "\n" + line + "\n". A set holding "" says nothing.

export interface Info {
  exact: string[] | null;
  pre: string[];
  suf: string[];
  fac: string[][];
}

const MAX_SET = 24;
const MAX_EXACT_LEN = 64;
const MAX_FAC = 6;

const unique = (list: string[]) => [...new Set(list)];

function cross(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (const x of a) for (const y of b) out.push(x + y);
  return unique(out);
}

/** Drops members made redundant by a shorter one (a prefix of it), then shortens until the set is small. */
function trimPrefixes(set: string[]): string[] {
  let list = unique(set);
  let len = Math.max(0, ...list.map((s) => s.length));
  while (list.length > MAX_SET && len > 0) {
    len--;
    list = unique(list.map((s) => s.slice(0, len)));
  }
  if (list.length > MAX_SET) return [''];
  return list.filter((s) => !list.some((t) => t !== s && s.startsWith(t)));
}

function trimSuffixes(set: string[]): string[] {
  let list = unique(set);
  let len = Math.max(0, ...list.map((s) => s.length));
  while (list.length > MAX_SET && len > 0) {
    len--;
    list = unique(list.map((s) => s.slice(s.length - len)));
  }
  if (list.length > MAX_SET) return [''];
  return list.filter((s) => !list.some((t) => t !== s && s.endsWith(t)));
}

/** A factor set in its smallest form: a member containing another member adds nothing. */
function minimalFactors(set: string[]): string[] {
  const list = unique(set);
  return list.filter((s) => !list.some((t) => t !== s && s.includes(t)));
}

const useful = (set: string[]) => set.length > 0 && !set.includes('');

// English letter frequencies, a–z.
const LETTERS = [
  0.082, 0.015, 0.028, 0.043, 0.127, 0.022, 0.02, 0.061, 0.07, 0.0015, 0.008, 0.04, 0.024, 0.067, 0.075, 0.019, 0.001,
  0.06, 0.063, 0.091, 0.028, 0.01, 0.024, 0.0015, 0.02, 0.0007,
];
const PUNCT: Record<string, number> = {
  '.': 0.015,
  '/': 0.012,
  ':': 0.01,
  '-': 0.01,
  _: 0.006,
  ',': 0.006,
  '=': 0.005,
  '(': 0.005,
  ')': 0.005,
  '[': 0.004,
  ']': 0.004,
  '"': 0.005,
  "'": 0.004,
};

const BYTE_FREQUENCY = Array.from({ length: 256 }, (_, c) => {
  if (c === 10) return 0.02;
  if (c === 32) return 0.12;
  if (c >= 97 && c <= 122) return 0.6 * LETTERS[c - 97];
  if (c >= 65 && c <= 90) return 'QXZJKV'.includes(String.fromCharCode(c)) ? 0.001 : 0.006;
  if (c >= 48 && c <= 57) return 0.012;
  const p = PUNCT[String.fromCharCode(c)];
  if (p !== undefined) return p;
  if (c >= 0x80) return c === 0xe2 ? 0.004 : 0.002;
  return c === 9 ? 0.01 : 0.0005;
});

/** Rough frequency of a byte in build and test logs, only used to rank literal sets (never for correctness). */
export function byteFrequency(c: number): number {
  return BYTE_FREQUENCY[c & 0xff];
}

// Letters in a row are far from independent (log text is full of the same words: "error", "warning", "package"),
// so a letter counts for less than its frequency says.
const BYTE_BITS = BYTE_FREQUENCY.map(
  (f, c) => -Math.log2(f) * (c >= 97 && c <= 122 ? 0.6 : c >= 65 && c <= 90 ? 0.8 : 1),
);

/** −log2 of the chance that a given position holds `s` (roughly). */
export function selectivity(s: string): number {
  let bits = 0;
  let letters = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k) & 0xff;
    const letter = (c | 0x20) >= 97 && (c | 0x20) <= 122;
    letters = letter ? letters + 1 : 0;
    // Past three letters into a word, the rest of it is nearly implied.
    bits += BYTE_BITS[c] * (letters > 3 ? 0.25 : 1);
  }
  return bits;
}

function score(set: string[]): number {
  if (!useful(set)) return -Infinity;
  let min = Infinity;
  for (const s of set) min = Math.min(min, selectivity(s));
  return min - Math.log2(set.length);
}

function withFactors(info: Omit<Info, 'fac'>, fac: string[][]): Info {
  const all = [...fac, info.pre, info.suf, ...(info.exact ? [info.exact] : [])]
    .filter(useful)
    .map(minimalFactors)
    .filter((s) => s.length <= MAX_SET);
  const seen = new Set<string>();
  const best = all
    .map((set) => ({ set, score: score(set) }))
    .sort((a, b) => b.score - a.score)
    .filter(({ set }) => {
      const key = [...set].sort().join('\0');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_FAC)
    .map(({ set }) => set);
  return { ...info, fac: best };
}

function exactInfo(set: string[]): Info {
  return withFactors({ exact: set, pre: trimPrefixes(set), suf: trimSuffixes(set) }, []);
}

const UNKNOWN: Info = { exact: null, pre: [''], suf: [''], fac: [] };

function concat(a: Info, b: Info): Info {
  let exact: string[] | null = null;
  if (a.exact && b.exact && a.exact.length * b.exact.length <= MAX_SET) {
    exact = cross(a.exact, b.exact);
    if (exact.some((s) => s.length > MAX_EXACT_LEN)) exact = null;
  }
  const pre = a.exact && a.exact.length * b.pre.length <= MAX_SET * 4 ? trimPrefixes(cross(a.exact, b.pre)) : a.pre;
  const suf = b.exact && a.suf.length * b.exact.length <= MAX_SET * 4 ? trimSuffixes(cross(a.suf, b.exact)) : b.suf;
  const junction = a.suf.length * b.pre.length <= MAX_SET ? [cross(a.suf, b.pre)] : [];
  return withFactors({ exact, pre, suf }, [...a.fac, ...b.fac, ...junction]);
}

function alternate(a: Info, b: Info): Info {
  const exact = a.exact && b.exact ? unique([...a.exact, ...b.exact]) : null;
  const fac = a.fac.length && b.fac.length ? [unique([...a.fac[0], ...b.fac[0]])] : [];
  return withFactors(
    {
      exact: exact && exact.length <= MAX_SET ? exact : null,
      pre: trimPrefixes([...a.pre, ...b.pre]),
      suf: trimSuffixes([...a.suf, ...b.suf]),
    },
    fac,
  );
}

function setMembers(set: CharSet): string[] | undefined {
  if (set.high) return undefined;
  const out: string[] = [];
  for (let c = 0; c < 128; c++) if (set.ascii[c]) out.push(String.fromCharCode(c));
  return out.length > 0 && out.length <= 10 ? out : undefined;
}

export function infoOf(node: Node): Info {
  switch (node.type) {
    case 'char':
      return exactInfo([String.fromCharCode(node.code)]);
    case 'bytes':
      return exactInfo([String.fromCharCode(...node.bytes)]);
    case 'set': {
      const members = setMembers(node);
      return members ? exactInfo(members) : UNKNOWN;
    }
    case 'seq': {
      // Runs of plain characters as one string first: far fewer sets to combine.
      let acc = exactInfo(['']);
      let run = '';
      for (const item of node.items) {
        if (item.type === 'char' || item.type === 'bytes') {
          run += item.type === 'char' ? String.fromCharCode(item.code) : String.fromCharCode(...item.bytes);
          continue;
        }
        if (run) acc = concat(acc, exactInfo([run]));
        run = '';
        acc = concat(acc, infoOf(item));
      }
      return run ? concat(acc, exactInfo([run])) : acc;
    }
    case 'alt':
      return node.alts.map(infoOf).reduce(alternate);
    case 'look':
      return exactInfo(['']);
    case 'assert':
      return exactInfo(node.kind === 'start' || node.kind === 'end' ? ['\n'] : ['']);
    case 'backref':
      return UNKNOWN;
    case 'repeat': {
      if (node.max === 0) return exactInfo(['']);
      const body = infoOf(node.body);
      if (body.exact && node.max <= 4) {
        let all: string[] = [];
        let power = [''];
        let small = true;
        for (let k = 0; k <= node.max && small; k++) {
          if (k >= node.min) all = unique([...all, ...power]);
          if (k < node.max) power = cross(power, body.exact);
          small = all.length <= MAX_SET && power.length <= MAX_SET;
        }
        if (small && all.every((s) => s.length <= MAX_EXACT_LEN)) return exactInfo(all);
      }
      if (node.min === 0) return UNKNOWN;
      let head = body;
      for (let k = 1; k < Math.min(node.min, 3); k++) head = concat(head, body);
      return withFactors({ exact: null, pre: head.exact ?? head.pre, suf: head.exact ?? head.suf }, head.fac);
    }
  }
}
