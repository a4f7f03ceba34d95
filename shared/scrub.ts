// Scrubber: removes secrets and personal data before anything is stored remotely, exported or reported.
// Keeps what makes output useful: git SHAs, UUIDs, digests, versions, ordinary paths.
import * as os from 'node:os';

export const REDACTED = '[REDACTED]';

export interface ScrubOptions {
  /** Also mask IP addresses and host names (diagnostic reports). Default false. */
  network?: boolean;
  /** The user's home directory and name to hide (default: this machine's). */
  home?: string;
  user?: string;
}

/** Token formats issued by well-known services (shapes as in gitleaks' rules). */
const TOKENS: RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{50,255}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
  /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9/_-]+/g,
  /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bpypi-[A-Za-z0-9_-]{50,}/g,
  /\bAIza[A-Za-z0-9_-]{35}\b/g,
  /\bsk-(?:proj-|ant-(?:api|admin)\d{2}-|svcacct-)?[A-Za-z0-9_-]{20,}/g,
  /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g,
  /\bSK[0-9a-f]{32}\b/g,
  /\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}\b/g,
  /\bkey-[0-9a-f]{32}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /\b(?:dop|doo|dor)_v1_[a-f0-9]{64}\b/g,
  /\bhf_[A-Za-z0-9]{30,}\b/g,
];

const PLACEHOLDER = /^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\*+|\[(?:MASKED|REDACTED|SECRET|HIDDEN)\]|<[^>]*>|YOUR_[A-Z0-9_]+|x+|changeme|null|none|undefined|true|false|\*\*\*)$/i;
const SECRET_KEY = /(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|client[_.-]?secret|credentials?|auth[_.-]?key|session[_.-]?key|signing[_.-]?key)/i;
/** Keys whose values are identifiers, not secrets, even when long and random-looking. */
const ID_KEY = /(?:^|[_.-])(?:id|ids|sha|hash|digest|checksum|integrity|version|trace|span|request|etag|commit|ref|build)$/i;

/** `KEY=value`, `key: value`, `"key": "value"`, `key="value"` with the key captured. */
const ASSIGNMENT = /(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1(\s*(?:=|:)\s*)(["']?)(?![^\s"',;}]*:(?:\s|$))([^\s"',;}]+)\4/g;

function shannon(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** A value that looks like a generated secret: long, mixed classes, high entropy, not a hex id or UUID. */
function looksRandom(v: string): boolean {
  if (v.length < 20 || /^[0-9a-f]+$/i.test(v) || /^[0-9a-f-]{36}$/i.test(v) || /^\d[\d.]*$/.test(v) || /[/\\]/.test(v)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((r) => r.test(v)).length;
  return classes >= 3 && shannon(v) > 4;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function scrub(text: string, options: ScrubOptions = {}): string {
  let out = text;
  for (const re of TOKENS) out = out.replace(re, (m) => (m.startsWith('-----BEGIN') ? '[REDACTED PRIVATE KEY]' : REDACTED));
  // Credentials in URLs: scheme://user:password@host
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@]*):([^\s@/]+)@/gi, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`);
  // Authorization headers.
  out = out.replace(/(authorization["']?\s*[:=]\s*["']?\s*(?:basic|bearer|token|digest)\s+)([^\s"',;}]+)/gi, (m, head: string, value: string) => (PLACEHOLDER.test(value) ? m : `${head}${REDACTED}`));
  // Passwords given on command lines.
  out = out.replace(/(\s(?:--password|--passwd|--token|--api-key|--secret|--client-secret)(?:=|\s+))(\S+)/g, (m, head: string, value: string) => (PLACEHOLDER.test(value) ? m : `${head}${REDACTED}`));
  out = out.replace(/(\blogin\b[^\n]*?\s-p\s+)(\S+)/g, `$1${REDACTED}`);
  out = out.replace(/(\b(?:mysql|mysqldump|mysqladmin|mariadb)\b[^\n]*?\s-p)([^\s-]\S*)/g, `$1${REDACTED}`);
  out = out.replace(/(\s-u\s+[^\s:]+:)(\S+)/g, `$1${REDACTED}`);
  // Assignments whose key names a secret, or whose value looks generated.
  out = out.replace(ASSIGNMENT, (m, q: string, key: string, sep: string, vq: string, value: string) => {
    if (value === REDACTED || PLACEHOLDER.test(value) || value.includes(REDACTED)) return m;
    if ((SECRET_KEY.test(key) && !ID_KEY.test(key) && value.length >= 4) || (key.length >= 3 && !ID_KEY.test(key) && looksRandom(value))) return `${q}${key}${q}${sep}${vq}${REDACTED}${vq}`;
    return m;
  });
  // Personal data.
  out = out.replace(/\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g, (m) => (m.includes(REDACTED) ? m : '<email>'));
  const home = options.home ?? os.homedir();
  if (home && home !== '/' && home.length > 1) out = out.replace(new RegExp(escapeRegExp(home) + '(?=[\\\\/]|\\b|$)', 'g'), '~');
  const user = options.user ?? safeUser();
  if (user && user.length > 2 && !['root', 'runner', 'node', 'user'].includes(user)) out = out.replace(new RegExp(`([\\\\/])${escapeRegExp(user)}(?=[\\\\/])`, 'g'), '$1<user>');
  if (options.network) {
    out = out.replace(/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '<ip>');
    out = out.replace(/\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}\b/gi, '<ip>');
    out = out.replace(/\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:internal|local|lan|corp|com|net|org|io|dev|cloud)\b/gi, '<host>');
  }
  return out;
}

function safeUser(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined;
  }
}
