// Tier 2: similarity of normalised messages (Jaccard over word shingles), never across tool families.
import { coarseMessage } from '../fingerprint';

/** Word 1- and 2-shingles of a coarse-normalised message. */
export function shingles(message: string): Set<string> {
  const words = coarseMessage(message)
    .toLowerCase()
    .split(/[^a-z0-9<>*_-]+/)
    .filter(Boolean);
  const out = new Set<string>(words);
  for (let i = 0; i + 1 < words.length; i++) out.add(`${words[i]} ${words[i + 1]}`);
  return out;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Below this, two messages are different errors. Chosen on the fixtures: variants of one error (other
 * names, paths, numbers) score ≥ 0.6, different errors of the same tool ≤ 0.4 (see similar.test.ts).
 */
export const SIMILARITY_THRESHOLD = 0.6;

/** The tool family, so `jest` and `vitest` memories may help each other but `tsc` and `python` never do. */
export function toolFamily(tool: string): string {
  if (['jest', 'vitest', 'mocha'].includes(tool)) return 'js-test';
  if (['npm', 'pnpm', 'yarn'].includes(tool)) return 'js-package';
  if (['python', 'pytest', 'pip'].includes(tool)) return 'python';
  if (['rust', 'cargo'].includes(tool)) return 'rust';
  if (['cc', 'ld'].includes(tool)) return 'c';
  if (['java', 'maven', 'gradle'].includes(tool)) return 'java';
  return tool;
}

/** `data` keys that name the thing a failure is about (a module, a package, a script…), not its circumstances. */
const IDENTITY_KEYS = [
  'module',
  'package',
  'name',
  'fixture',
  'command',
  'subcommand',
  'script',
  'image',
  'symbol',
  'header',
  'option',
  'peer',
  'test',
  'exception',
  'path',
  'branch',
  'port',
  'host',
];
const QUOTED_PARTS = /'([^'\n]{1,200})'|"([^"\n]{1,200})"|`([^`\n]{1,200})`|‘([^’\n]{1,200})’|“([^”\n]{1,200})”/g;

export interface Identity {
  /** Identifying `data` values by key. */
  data: Map<string, string>;
  /** The quoted parts of the message, in order. */
  quoted: string[];
}

/** What a failure is about: its identifying data, and the quoted names in its message (which similarity ignores). */
export function identityOf(failure: { data?: Record<string, string>; message: string }): Identity {
  const data = new Map<string, string>();
  for (const key of IDENTITY_KEYS) if (failure.data?.[key]) data.set(key, failure.data[key]);
  const quoted = [...failure.message.matchAll(QUOTED_PARTS)].map((m) => m.slice(1).find((x) => x !== undefined)!);
  return { data, quoted };
}

/** The package-like head of a name: `lodash/fp` → `lodash`, `@a/b/c` → `@a/b`, `yaml.loader` → `yaml`. */
function head(name: string): string {
  return name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split(/[/.:]/)[0];
}

export interface Renaming {
  /** Old name → new name, for the names both failures have (longest first, so `lodash/fp` goes before `lodash`). */
  renames: Array<[string, string]>;
  /** Names of the remembered failure the new one has no counterpart for. */
  unmatched: string[];
}

/** How the remembered failure's names map onto the new failure's. Empty when they are about the same things. */
export function renaming(from: Identity, to: Identity): Renaming {
  const map = new Map<string, string>();
  const unmatched = new Set<string>();
  const pair = (a: string, b: string) => {
    if (a === b || map.has(a)) return;
    map.set(a, b);
    if (head(a) !== a && head(b) !== b && head(a) !== head(b) && !map.has(head(a))) map.set(head(a), head(b));
  };
  for (const [key, value] of from.data) {
    const other = to.data.get(key);
    if (other === undefined) unmatched.add(value);
    else pair(value, other);
  }
  if (from.quoted.length === to.quoted.length) from.quoted.forEach((q, i) => pair(q, to.quoted[i]));
  else for (const q of from.quoted) if (!to.quoted.includes(q)) unmatched.add(q);
  for (const a of map.keys()) unmatched.delete(a);
  return {
    renames: [...map].sort((x, y) => y[0].length - x[0].length),
    unmatched: [...unmatched].filter((u) => ![...to.data.values(), ...to.quoted].includes(u)),
  };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `name` as a whole word in `text` (not part of a longer name: `is-number` is not in `is-number2`). */
function wordPattern(name: string): RegExp {
  return new RegExp(`(?<![\\w-])${escapeRegExp(name)}(?![\\w-])`, 'g');
}

export function mentions(text: string, name: string): boolean {
  return wordPattern(name).test(text);
}

/** `text` with each old name replaced by its new one, in one pass (so a new name is never renamed again). */
export function renameIn(text: string, renames: Array<[string, string]>): string {
  if (renames.length === 0) return text;
  const byOld = new Map(renames);
  const all = new RegExp(renames.map(([a]) => `(?<![\\w-])${escapeRegExp(a)}(?![\\w-])`).join('|'), 'g');
  return text.replace(all, (m) => byOld.get(m) ?? m);
}
