// Fingerprint: normalises a message and hashes it. Fine keeps quoted identifiers; coarse drops them.
import { createHash } from 'node:crypto';

export interface Fingerprints {
  fingerprint: string;
  coarseFingerprint: string;
}

// Order matters: specific shapes first, so a UUID is not half-eaten as hex or a number.
const RULES: Array<[RegExp, string]> = [
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<ts>'],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<time>'],
  [/\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, '<uuid>'],
  [/\b0x[0-9a-fA-F]+\b/g, '<addr>'],
  [/\b(?:[a-z][a-z0-9+.-]*:\/\/)[^\s'"<>]+/gi, '<url>'],
  [/(?:[A-Za-z]:)?(?:[\\/][\w.@~+-]+){2,}[\\/]?|~[\\/][\w.@~/\\+-]*|\.{1,2}[\\/][\w.@~/\\+-]+/g, '<path>'],
  [/\b[\w-]+\.(?:ts|tsx|js|jsx|mjs|cjs|py|rs|go|c|cc|cpp|h|hpp|java|kt|rb|php|cs|swift|json|ya?ml|toml|lock|log|txt|md|sh)\b/g, '<file>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '<ip>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, '<hex>'],
  [/\b(?:pid|PID|port|Port)[=: ]\s*\d+/g, '<kv>'],
  [/[+-]?\b\d+(?:\.\d+)*\b/g, '<n>'],
];

const QUOTED = /'[^'\n]{0,200}'|"[^"\n]{0,200}"|`[^`\n]{0,200}`|‘[^’\n]{0,200}’|“[^”\n]{0,200}”/g;

/** Normalised message used by the fine fingerprint: variable parts replaced, quoted identifiers kept. */
export function normalizeMessage(message: string): string {
  let text = message.length > 4096 ? message.slice(0, 4096) : message;
  for (const [re, token] of RULES) text = text.replace(re, token);
  return text.replace(/\s+/g, ' ').trim();
}

/** Normalised message for the coarse fingerprint: like the fine one with quoted values dropped too. */
export function coarseMessage(message: string): string {
  return normalizeMessage(message.replace(QUOTED, '<q>')).replace(/(?:<q>\s*,?\s*)+/g, '<q> ');
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
