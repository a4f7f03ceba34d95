// Fingerprint: normalises a message and hashes it. Fine keeps quoted identifiers; coarse drops them.
import { createHash } from 'node:crypto';

export interface Fingerprints {
  fingerprint: string;
  coarseFingerprint: string;
}

// Order matters: specific shapes first, so a UUID is not half-eaten as hex or a number.
const RULES: Array<[RegExp, string]> = [
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<ts>'],
  // Dates in words: `Sun Jul 24`, `Dec  4, 2026`, `Fri, 04 Dec 2026`, `24-Jul-2005` (the time and year that follow
  // are taken by the rules below).
  [
    /\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? +)?(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? +\d{1,2}\b(?:,? +\d{4}\b)?|\d{1,2}[ -](?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*[ -]\d{4}\b)/g,
    '<date>',
  ],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<time>'],
  [/\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, '<uuid>'],
  [/\b0x[0-9a-fA-F]+\b/g, '<addr>'],
  [/\b(?:[a-z][a-z0-9+.-]*:\/\/)[^\s'"<>]+/gi, '<url>'],
  [/(?:[A-Za-z]:)?(?:[\\/][\w.@~+-]+){2,}[\\/]?|~[\\/][\w.@~/\\+-]*|\.{1,2}[\\/][\w.@~/\\+-]+/g, '<path>'],
  [
    /\b[\w-]+\.(?:ts|tsx|js|jsx|mjs|cjs|py|rs|go|c|cc|cpp|h|hpp|java|kt|rb|php|cs|swift|json|ya?ml|toml|lock|log|txt|md|sh)\b/g,
    '<file>',
  ],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '<ip>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, '<hex>'],
  [/\b(?:pid|PID|port|Port)[=: ]\s*\d+/g, '<kv>'],
  [/(?<![A-Za-z0-9])[+-]?\d+(?:\.\d+)*(?![A-Za-z0-9])/g, '<n>'],
];

// Error codes such as TS2307, E0425 or SC2086 name the error itself and are kept.
const ERROR_CODE = /^[A-Z]{1,4}\d{2,5}$/;
const PLACEHOLDER = /^<[a-z*]+>$/;
const UNIT = /^(?:[KMGTP]i?B|B|bytes?|ms|us|µs|ns|s|sec|secs|seconds?|minutes?|m|h)$/;
const EDGE_PUNCTUATION = /^([[({"'`]*)(.*?)([\])}"'`,;:.!?]*)$/;
// The word after `user` names an account, which differs between machines (`Invalid user bob`)…
const ACCOUNT = /^user(?:name)?$/i;
// …unless it is a word of the sentence (`user is not allowed`, `user deleted`), not a name.
const SENTENCE_WORD =
  /^(?:is|are|was|were|has|had|have|does|did|not|no|can|cannot|could|will|would|should|must|may|to|of|in|on|for|from|and|or|the|a|an|with|by|at|as|name|id|[a-z]{4,}ed)$/i;

/** Token-level pass: digits inside a token, dotted host or class names → one placeholder; repeats collapsed. */
function normalizeTokens(text: string, coarse: boolean): string {
  const out: string[] = [];
  let previous = '';
  for (const raw of text.split(/\s+/)) {
    if (!raw) continue;
    const [, pre, core, post] = EDGE_PUNCTUATION.exec(raw) ?? ['', '', raw, ''];
    let token = core;
    const assignment = /^([\w.-]+)=(.+)$/.exec(core);
    const account = coarse && ACCOUNT.test(previous) && /^[\w.@<>*-]+$/.test(core) && !SENTENCE_WORD.test(core);
    if (account) {
      token = '<*>';
    } else if (assignment) {
      if (coarse || /\d|</.test(assignment[2])) token = `${assignment[1]}=<*>`;
    } else if (ERROR_CODE.test(core)) {
      token = core;
    } else if (/\d/.test(core) || (core.includes('<') && !PLACEHOLDER.test(core))) {
      token = '<*>';
    } else if (/^[\w-]+(?:\.[\w$-]+){2,}$/.test(core) && /[A-Za-z]/.test(core)) {
      token = '<*>';
    } else if (coarse && UNIT.test(core) && out[out.length - 1]?.endsWith('<n>')) {
      token = '<unit>';
    }
    const full = pre + token + post;
    previous = post || account ? '' : core;
    if (out[out.length - 1] !== full) out.push(full);
  }
  return out.join(' ');
}

const QUOTED = /'[^'\n]{0,200}'|"[^"\n]{0,200}"|`[^`\n]{0,200}`|‘[^’\n]{0,200}’|“[^”\n]{0,200}”/g;

/** Normalised message used by the fine fingerprint: variable parts replaced, quoted identifiers kept. */
export function normalizeMessage(message: string): string {
  return normalize(message, false);
}

function normalize(message: string, coarse: boolean): string {
  let text = message.length > 4096 ? message.slice(0, 4096) : message;
  for (const [re, token] of RULES) text = text.replace(re, token);
  return normalizeTokens(text, coarse);
}

/** Normalised message for the coarse fingerprint: like the fine one with quoted values dropped too. */
export function coarseMessage(message: string): string {
  return normalize(message.replace(QUOTED, '<q>'), true);
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Fine and coarse fingerprints for an error of a tool and category. */
export function fingerprintOf(tool: string, category: string, message: string): Fingerprints {
  return {
    fingerprint: hash(`${tool}\0${category}\0${normalizeMessage(message)}`),
    coarseFingerprint: hash(`${tool}\0${category}\0${coarseMessage(message)}`),
  };
}

/** Fingerprints of a bare line with no known tool (used by `heal fingerprint`). */
export function fingerprintLine(line: string): Fingerprints {
  return { fingerprint: hash(normalizeMessage(line)), coarseFingerprint: hash(coarseMessage(line)) };
}
