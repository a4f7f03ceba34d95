// Scrubber: removes secrets and personal data before anything is stored remotely, exported or reported.
// Keeps what makes output useful: git SHAs, UUIDs, digests, versions, times, ordinary paths and file names.
//
// Two levels:
// * `scrub(text)` masks secrets, e-mail addresses and the user names in home-folder paths (`heal redact`).
// * `scrubOutgoing(text)` also masks IP addresses and host names: everything that leaves the machine (diagnostic
//   reports, writes to the shared memory, `heal export`) goes through it.
//
// Every rule is linear in the input: each pattern either starts only where a run of its characters starts (a
// look-behind excludes starts inside a run) or has bounded repetition, and assignment values are measured by a
// scanner that reads each run once, so hostile input cannot make them backtrack (see the hostile-input tests).
import * as os from 'node:os';

export const REDACTED = '[REDACTED]';
export const IP_MASK = '<ip>';
export const HOST_MASK = '<host>';
export const USER_MASK = '<user>';

export interface ScrubOptions {
  /** Also mask IP addresses and host names (`scrubOutgoing` sets it). Default false. */
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

const PLACEHOLDER =
  /^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\*+|\[(?:MASKED|REDACTED|SECRET|HIDDEN)\]|<[^>]*>|YOUR_[A-Z0-9_]+|x+|changeme|null|none|undefined|true|false|\*\*\*)$/i;
const SECRET_KEY =
  /(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|client[_.-]?secret|credentials?|auth[_.-]?key|session[_.-]?key|signing[_.-]?key)/i;
/** Keys whose values are identifiers, not secrets, even when long and random-looking. */
const ID_KEY =
  /(?:^|[_.-])(?:id|ids|sha|hash|digest|checksum|integrity|version|trace|span|request|etag|commit|ref|build)$/i;

/**
 * The start of `KEY=value`, `key: value`, `"key": "value"`, `key="value"`, `--db-password=value`: quote, key,
 * separator, value quote. The key starts where a run of key characters starts (leading hyphens belong to it), so
 * a long run is scanned once; the value is measured by `redactAssignments`, which scans each run of value
 * characters once however many keys it holds (`a:a:a:…` would make a regex rescan it from every key).
 */
const ASSIGNMENT_HEAD = /(?<![A-Za-z0-9_.-])(["']?)(-*[A-Za-z_][A-Za-z0-9_.-]*)\1(\s*[=:]\s*)(["']?)/g;
/** Characters that end a value. */
const VALUE_STOP = /[\s"',;}]/;

/** Replaces the values of assignments whose key names a secret, or whose value looks generated. */
function redactAssignments(text: string): string {
  let out = '';
  let copied = 0;
  // The last run of value characters measured: [runStart, runEnd).
  let runStart = -1;
  let runEnd = -1;
  const re = new RegExp(ASSIGNMENT_HEAD.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [head, q, key, sep, vq] = m;
    const start = m.index + head.length;
    let end = start;
    if (start >= runStart && start <= runEnd) end = runEnd;
    else {
      while (end < text.length && !VALUE_STOP.test(text[end])) end++;
      [runStart, runEnd] = [start, end];
    }
    // No value; a value ending in `:` before a space or the end (`key: label: …`); an unclosed quote.
    const after = text[end];
    if (end === start || (text[end - 1] === ':' && (end === text.length || /\s/.test(after))) || (vq && after !== vq)) {
      re.lastIndex = m.index + 1;
      continue;
    }
    const value = text.slice(start, end);
    re.lastIndex = end + vq.length;
    if (value === REDACTED || PLACEHOLDER.test(value) || value.includes(REDACTED)) continue;
    const secretKey = SECRET_KEY.test(key) && !ID_KEY.test(key) && value.length >= 4;
    if (!secretKey && !(key.length >= 3 && !ID_KEY.test(key) && looksRandom(value))) continue;
    out += text.slice(copied, m.index) + `${q}${key}${q}${sep}${vq}${REDACTED}${vq}`;
    copied = end + vq.length;
  }
  return out + text.slice(copied);
}

/** E-mail addresses; the local part starts where its run of characters starts. */
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g;

function shannon(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** A value that looks like a generated secret: long, mixed classes, high entropy, not a hex id or UUID. */
function looksRandom(v: string): boolean {
  if (v.length < 20 || /^[0-9a-f]+$/i.test(v) || /^[0-9a-f-]{36}$/i.test(v) || /^\d[\d.]*$/.test(v) || /[/\\]/.test(v))
    return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((r) => r.test(v)).length;
  return classes >= 3 && shannon(v) > 4;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------------------
// Home folders

/**
 * Accounts that name no person: CI runners, cloud images, containers, OS defaults. Their home paths stay readable
 * (`/home/runner/work/app/…`).
 */
const SHARED_ACCOUNTS = new Set(
  [
    'root',
    'runner',
    'runneradmin',
    'circleci',
    'travis',
    'vsts',
    'cloudtest',
    'jenkins',
    'gitlab-runner',
    'buildkite-agent',
    'semaphore',
    'appveyor',
    'vagrant',
    'ubuntu',
    'ec2-user',
    'node',
    'user',
    'app',
    'codespace',
    'vscode',
    'gitpod',
    'docker',
    'linuxbrew',
    'nobody',
    'shared',
    'public',
    'guest',
    'default',
    'default user',
    'all users',
    'administrator',
  ].map((a) => a.toLowerCase()),
);

/** A user segment that is a variable, glob or an earlier mask rather than a name. */
const NOT_A_NAME = /^(?:[$%<{*~]|\.\.?$)/;

/** `/home/NAME`, `/Users/NAME` (also under `/var`, `/usr`, `/export`, WSL's `/mnt/c`), at the start of a path. */
const POSIX_HOME =
  /(?<![\w.~-])((?:\/(?:var|usr|export|mnt\/[A-Za-z]))?\/(?:home|Users)\/)([^/\\\s"'`<>:;,|*?()[\]{}]+)/g;
/** `C:\Users\NAME`, `C:/Users/NAME`, JSON-escaped `C:\\Users\\NAME`, `Documents and Settings`. */
const WINDOWS_HOME =
  /\b([A-Za-z]:(\\\\|\\|\/)(?:Users|Documents and Settings)\2)([^/\\\s"'`<>:;,|*?()[\]{}]+ [^/\\\s"'`<>:;,|*?()[\]{}]+(?=[\\/])|[^/\\\s"'`<>:;,|*?()[\]{}]+)/gi;

function maskHomeUser(prefix: string, segment: string): string {
  const name = segment.replace(/\.+$/, ''); // a full stop ending the sentence is not part of the name
  if (!name || NOT_A_NAME.test(name) || SHARED_ACCOUNTS.has(name.toLowerCase())) return prefix + segment;
  return prefix + USER_MASK + segment.slice(name.length);
}

// ---------------------------------------------------------------------------------------------------------------
// IP addresses

/**
 * Dotted quads not preceded by a word character, dot or product token (`Chrome/120.0.0.0`), and not part of a longer
 * dotted number or a version with a suffix (`1.0.0.0-preview`).
 */
const IPV4 = /(?<![\w.]|[A-Za-z]\/)(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d|-[A-Za-z])/g;
/** Just before a dotted quad, a version label: `Version=4.0.0.0`, `version 1.2.3.4`, `v 1.0.0.1`. */
const VERSION_BEFORE = /(?:\bversion|\bver|\bv)\s*[=:]?\s*["']?$/i;
const NETMASK_OCTETS = new Set([0, 128, 192, 224, 240, 248, 252, 254, 255]);

/** Addresses that name no machine of anyone's: loopback, "any", broadcast, netmasks. */
function sharedIPv4(octets: number[]): boolean {
  if (octets[0] === 127) return true;
  if (octets.every((o) => o === 0)) return true;
  // 255.255.255.255 and netmasks such as 255.255.240.0 (ones, then zeros).
  if (octets[0] === 255 && octets.every((o) => NETMASK_OCTETS.has(o))) {
    const bits = octets.map((o) => o.toString(2).padStart(8, '0')).join('');
    return !bits.includes('01');
  }
  return false;
}

function maskIPv4(text: string): string {
  return text.replace(IPV4, (m: string, offset: number, whole: string) => {
    const octets = m.split('.').map(Number);
    if (octets.some((o) => o > 255) || sharedIPv4(octets)) return m;
    if (VERSION_BEFORE.test(whole.slice(Math.max(0, offset - 12), offset))) return m;
    return IP_MASK;
  });
}

/**
 * Candidates for IPv6 literals: up to eight colon-separated hex groups, optionally ending in a dotted quad, with
 * a zone (`%eth0`). Bounded repetition; starts inside a run of hex digits and colons are excluded.
 */
const IPV6 =
  /(?<![\w:.%])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}(?:%[A-Za-z0-9_.-]{1,32})?(?![\w:-]|\.\w)/g;

/** Whether `s` is an IPv6 address in one of RFC 4291's text forms (a zone is allowed). */
export function isIPv6(s: string): boolean {
  let addr = s.replace(/%.*$/, '');
  const quad = /:((?:\d{1,3}\.){3}\d{1,3})$/.exec(addr);
  if (quad) {
    if (quad[1].split('.').some((o) => Number(o) > 255)) return false;
    addr = addr.slice(0, quad.index) + ':0:0'; // a trailing dotted quad fills two groups
  }
  if (addr.includes('.')) return false;
  const halves = addr.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (!groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  if (halves.length === 1 ? groups.length !== 8 : groups.length > 7) return false;
  return true;
}

/**
 * An IPv6 address as it appears in text, not code: one with a decimal digit (`dead::beef`, `a::b` are names),
 * and not a slice like `x[1::2]` or `x[::2]` (after `::`, only small decimal numbers) — except `::1`.
 */
function looksLikeIPv6(s: string): boolean {
  if (!isIPv6(s) || !/\d/.test(s)) return false;
  if (s === '::1') return true;
  return !(s.includes('::') && s.split(/::?/).every((g) => /^\d{0,2}$/.test(g)));
}

function maskIPv6(text: string): string {
  return text.replace(IPV6, (m: string) => (looksLikeIPv6(m) ? IP_MASK : m));
}

// ---------------------------------------------------------------------------------------------------------------
// Host names

/** Top-level domains only used inside networks: a name ending in one is a machine's, wherever it appears. */
const PRIVATE_TLDS = new Set(['local', 'localdomain', 'internal', 'intranet', 'lan', 'corp', 'arpa']);

/**
 * Public top-level domains that are not also common file extensions or property names (`.sh`, `.py`, `.md`, `.rs`,
 * `.pl`, `.so`, `.in`, `.ai`, `.cl`, `.zip`, `.app`, `.id`, `.at`, `.by`, `.my` … are left out): a dotted name ending
 * in one is taken for a host name when it has at least three labels (`db.prod.example.com`). Two labels
 * (`socket.io`, `example.com`) are a registrable domain, public and as often a package's name as a host's, so they
 * stay readable outside URLs.
 */
const HOST_TLDS = new Set(
  (
    'com net org edu gov mil info biz io co dev cloud tech online site xyz' +
    ' us uk de fr nl be ch se no dk fi es pt ie cz sk hu ro bg gr tr ru ua kz il ae sa' +
    ' jp cn kr tw hk sg th vn ph au nz ca mx br ar pe za ng ke eg eu'
  ).split(' '),
);

/** Public services every developer's output names; they identify nobody (subdomains included). */
const PUBLIC_DOMAINS = [
  'github.com',
  'githubusercontent.com',
  'githubassets.com',
  'ghcr.io',
  'gitlab.com',
  'bitbucket.org',
  'npmjs.org',
  'npmjs.com',
  'yarnpkg.com',
  'nodejs.org',
  'pypi.org',
  'pythonhosted.org',
  'python.org',
  'rubygems.org',
  'crates.io',
  'rust-lang.org',
  'golang.org',
  'go.dev',
  'maven.org',
  'apache.org',
  'gradle.org',
  'nuget.org',
  'packagist.org',
  'docker.io',
  'docker.com',
  'gcr.io',
  'quay.io',
  'k8s.io',
  'kubernetes.io',
  'debian.org',
  'ubuntu.com',
  'alpinelinux.org',
  'fedoraproject.org',
  'microsoft.com',
  'visualstudio.com',
  'googleapis.com',
  'gstatic.com',
  'google.com',
  'jsdelivr.net',
  'unpkg.com',
  'cloudflare.com',
  'mozilla.org',
  'stackoverflow.com',
  'hashicorp.com',
  'terraform.io',
  'anaconda.org',
  'anaconda.com',
];

/** Names that mean "this machine" or a fixed service name, never someone's host. */
function sharedHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h.endsWith('.docker.internal') || h === 'metadata.google.internal') return true;
  return PUBLIC_DOMAINS.some((d) => h === d || h.endsWith('.' + d));
}

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** The first label of a reversed domain name (`com.acme.internal`, a Java package or bundle id). */
const REVERSED_DOMAIN_START = new Set(['com', 'org', 'net', 'edu', 'gov', 'mil', 'io']);

/** Whether a dotted name standing on its own (not in a path or URL) is a host name. */
function looksLikeHost(name: string): boolean {
  const labels = name.split('.');
  if (labels.length < 2 || name.length > 253 || !labels.every((l) => LABEL.test(l))) return false;
  // Starting with two numbers, it is a version (`0.0.0-use.local`, `1.2.3-beta.corp`).
  if (/^\d+\.\d+/.test(name)) return false;
  const tld = labels[labels.length - 1];
  // Hosts are written in one case; `System.Net`, `Foo.Com` are code.
  if (!/^(?:[a-z]{2,63}|[A-Z]{2,63})$/.test(tld)) return false;
  const t = tld.toLowerCase();
  if (REVERSED_DOMAIN_START.has(labels[0].toLowerCase()) && labels.length >= 3) return false;
  if (PRIVATE_TLDS.has(t)) return true;
  return HOST_TLDS.has(t) && labels.length >= 3;
}

/** Runs of host-name characters with at least one dot, starting where such a run starts. */
const DOTTED = /(?<![A-Za-z0-9_.-])[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+/g;
/** A character before a dotted name that makes it part of something else: a path, an address, a variable. */
const DOTTED_IN_SOMETHING_ELSE = /[/\\@$%#]/;

function maskBareHosts(text: string): string {
  return text.replace(DOTTED, (m: string, offset: number, whole: string) => {
    const before = offset > 0 ? whole[offset - 1] : '';
    // A doubled separator starts a network path: `\\server.corp.internal\share`, `//nas.lan/media`.
    const networkPath = (before === '/' || before === '\\') && whole[offset - 2] === before;
    // In a path, an address or a variable; or called like a function (`threading.local()`).
    if ((DOTTED_IN_SOMETHING_ELSE.test(before) && !networkPath) || whole[offset + m.length] === '(') return m;
    return looksLikeHost(m) && !sharedHost(m) ? HOST_MASK : m;
  });
}

/** `scheme://[userinfo@]host` — any named host there is a host, one label or many (not the user name before `@`). */
const URL_HOST =
  /\b([a-z][a-z0-9+.-]{0,30}:\/\/(?:[^\s/@?#]{0,256}@)?)([A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63}){0,30})(?![A-Za-z0-9@-]|\.[A-Za-z0-9]|:[^\s/@]{0,1024}@)/gi;

function maskUrlHosts(text: string): string {
  return text.replace(URL_HOST, (m: string, head: string, host: string) => {
    if (/^[\d.]+$/.test(host) || sharedHost(host)) return m; // IPs are the IP rules' (loopback stays)
    return head + HOST_MASK;
  });
}

// ---------------------------------------------------------------------------------------------------------------

export function scrub(text: string, options: ScrubOptions = {}): string {
  let out = text;
  for (const re of TOKENS)
    out = out.replace(re, (m) => (m.startsWith('-----BEGIN') ? '[REDACTED PRIVATE KEY]' : REDACTED));
  // Credentials in URLs: scheme://user:password@host
  out = out.replace(
    /\b([a-z][a-z0-9+.-]{0,30}:\/\/)([^\s:/@]{0,256}):([^\s@/]{1,1024})@/gi,
    (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`,
  );
  // Authorization headers.
  out = out.replace(
    /(authorization["']?\s*[:=]\s*["']?\s*(?:basic|bearer|token|digest)\s+)([^\s"',;}]+)/gi,
    (m, head: string, value: string) => (PLACEHOLDER.test(value) ? m : `${head}${REDACTED}`),
  );
  // Passwords given on command lines.
  out = out.replace(
    /(\s(?:--password|--passwd|--token|--api-key|--secret|--client-secret)(?:=|\s+))(\S+)/g,
    (m, head: string, value: string) => (PLACEHOLDER.test(value) ? m : `${head}${REDACTED}`),
  );
  out = out.replace(/(\blogin\b[^\n]{0,300}?\s-p\s+)(\S+)/g, `$1${REDACTED}`);
  out = out.replace(/(\b(?:mysql|mysqldump|mysqladmin|mariadb)\b[^\n]{0,300}?\s-p)([^\s-]\S*)/g, `$1${REDACTED}`);
  out = out.replace(/(\s-u\s+[^\s:]+:)(\S+)/g, `$1${REDACTED}`);
  // Assignments whose key names a secret, or whose value looks generated.
  out = redactAssignments(out);
  // Personal data.
  out = out.replace(EMAIL, (m) => (m.includes(REDACTED) ? m : '<email>'));
  const home = options.home ?? os.homedir();
  if (home && home !== '/' && home.length > 1)
    out = out.replace(new RegExp(escapeRegExp(home) + '(?=[\\\\/]|\\b|$)', 'g'), '~');
  out = out.replace(WINDOWS_HOME, (_m, prefix: string, _sep: string, name: string) => maskHomeUser(prefix, name));
  out = out.replace(POSIX_HOME, (_m, prefix: string, name: string) => maskHomeUser(prefix, name));
  const user = options.user ?? safeUser();
  if (user && user.length > 2 && !SHARED_ACCOUNTS.has(user.toLowerCase()))
    out = out.replace(new RegExp(`([\\\\/])${escapeRegExp(user)}(?=[\\\\/])`, 'g'), '$1' + USER_MASK);
  if (options.network) {
    // URL hosts first, while a URL's user name and host are still told apart by the address after the `@`.
    out = maskUrlHosts(out);
    out = maskIPv6(out);
    out = maskIPv4(out);
    out = maskBareHosts(out);
  }
  return out;
}

/**
 * The scrubber for everything that leaves the machine — diagnostic reports, writes to the shared memory,
 * `heal export`: secrets, e-mail addresses, home-folder user names, IP addresses and host names.
 */
export function scrubOutgoing(text: string, options: Omit<ScrubOptions, 'network'> = {}): string {
  return scrub(text, { ...options, network: true });
}

function safeUser(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined;
  }
}
