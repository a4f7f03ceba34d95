// Misspelled programs: the closest executables on PATH by Damerau-Levenshtein distance, and how to install a
// program that is not there (the platform's package manager, with the package names that differ from the program).
import { damerauLevenshtein, ratio } from './similarity';

/** Programs developers type most, most common first: on a tie they win over the rest of a large PATH. */
export const COMMON_TOOLS = [
  'git',
  'npm',
  'node',
  'npx',
  'python',
  'python3',
  'pip',
  'pip3',
  'docker',
  'cd',
  'ls',
  'cat',
  'cp',
  'mv',
  'rm',
  'mkdir',
  'grep',
  'sed',
  'awk',
  'find',
  'curl',
  'wget',
  'ssh',
  'scp',
  'tar',
  'make',
  'go',
  'cargo',
  'rustc',
  'gcc',
  'g++',
  'clang',
  'java',
  'javac',
  'mvn',
  'gradle',
  'yarn',
  'pnpm',
  'bun',
  'deno',
  'tsc',
  'kubectl',
  'helm',
  'terraform',
  'aws',
  'gh',
  'vim',
  'nvim',
  'nano',
  'code',
  'less',
  'man',
  'ps',
  'kill',
  'top',
  'which',
  'echo',
  'sudo',
  'chmod',
  'chown',
  'touch',
  'head',
  'tail',
  'sort',
  'diff',
  'tmux',
  'brew',
  'apt',
  'apt-get',
  'systemctl',
  'pytest',
  'ruby',
  'gem',
  'bundle',
  'rails',
  'php',
  'composer',
  'dotnet',
  'history',
  'export',
  'source',
  'clear',
  'exit',
];
const COMMON_RANK = new Map(COMMON_TOOLS.map((t, i) => [t, i]));

const QWERTY = ['1234567890-=', 'qwertyuiop[]', "asdfghjkl;'", 'zxcvbnm,./'];

function keyPosition(ch: string): [number, number] | undefined {
  for (let r = 0; r < QWERTY.length; r++) {
    const c = QWERTY[r].indexOf(ch);
    if (c >= 0) return [r, c];
  }
  return undefined;
}

/** Keys next to each other on a QWERTY keyboard (a slip of the finger). */
export function adjacentKeys(a: string, b: string): boolean {
  const [p, q] = [keyPosition(a.toLowerCase()), keyPosition(b.toLowerCase())];
  return Boolean(
    p && q && (p[0] !== q[0] || p[1] !== q[1]) && Math.abs(p[0] - q[0]) <= 1 && Math.abs(p[1] - q[1]) <= 1,
  );
}

/** How many edits a misspelling of this length may have: 1 up to 4 letters, 2 up to 8, then 3. */
export function maxTypoDistance(length: number): number {
  return length <= 1 ? 0 : length <= 4 ? 1 : length <= 8 ? 2 : 3;
}

/** `candidate` differs from `typed` only by two neighbouring letters swapped, or one key next to the right one. */
function slip(typed: string, candidate: string): boolean {
  if (typed.length !== candidate.length) return false;
  const diffs: number[] = [];
  for (let i = 0; i < typed.length; i++) if (typed[i] !== candidate[i]) diffs.push(i);
  if (diffs.length === 1) return adjacentKeys(typed[diffs[0]], candidate[diffs[0]]);
  return (
    diffs.length === 2 &&
    diffs[1] === diffs[0] + 1 &&
    typed[diffs[0]] === candidate[diffs[1]] &&
    typed[diffs[1]] === candidate[diffs[0]]
  );
}

/**
 * Whether a misspelling could start where the candidate does not: people rarely get the first letter wrong,
 * except by swapping the first two letters (`sl` → `ls`) or hitting the key next to it (`fit` → `git`).
 */
function plausibleStart(typed: string, candidate: string, max: number): boolean {
  if (typed[0] === candidate[0]) return true;
  if (typed.length > 1 && candidate.length > 1 && typed[0] === candidate[1] && typed[1] === candidate[0]) return true;
  return adjacentKeys(typed[0], candidate[0]) && damerauLevenshtein(typed.slice(1), candidate.slice(1), max) <= max - 1;
}

export interface CommandMatch {
  name: string;
  distance: number;
}

/**
 * Executables `typed` is plausibly a misspelling of, best first. Closer is better; at the same distance a
 * common developer tool, then a finger slip, then a candidate of the same length, then difflib's ratio wins.
 */
export function closestCommands(typed: string, known: Iterable<string>, limit = 3): CommandMatch[] {
  const max = maxTypoDistance(typed.length);
  if (max === 0 || !/^[\w.+-]+$/.test(typed)) return [];
  const scored: Array<CommandMatch & { key: number[] }> = [];
  for (const name of new Set(known)) {
    if (name === typed || Math.abs(name.length - typed.length) > max) continue;
    const distance = damerauLevenshtein(typed, name, max);
    if (distance > max || !plausibleStart(typed, name, max)) continue;
    // Two-letter words: only a swap or a neighbouring key, anything else is a different command.
    if (typed.length <= 2 && !slip(typed, name) && name.length === typed.length) continue;
    scored.push({
      name,
      distance,
      key: [
        distance,
        COMMON_RANK.get(name) ?? COMMON_TOOLS.length,
        slip(typed, name) ? 0 : 1,
        name.length === typed.length ? 0 : 1,
        -ratio(typed, name),
      ],
    });
  }
  scored.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return scored.slice(0, limit).map(({ name, distance }) => ({ name, distance }));
}

/** The same program under a versioned name: `python` → `python3`, `pip` → `pip3` (shortest, then newest, first). */
export function versionedNames(typed: string, known: Iterable<string>): string[] {
  const out: string[] = [];
  for (const name of known) if (name.startsWith(typed) && /^-?\d[\d.]*$/.test(name.slice(typed.length))) out.push(name);
  return out.sort((a, b) => a.length - b.length || b.localeCompare(a, undefined, { numeric: true }));
}

export type PackageManager =
  'apt-get' | 'dnf' | 'yum' | 'pacman' | 'zypper' | 'apk' | 'brew' | 'port' | 'winget' | 'choco' | 'scoop';

const PIP = {
  'apt-get': 'python3-pip',
  dnf: 'python3-pip',
  yum: 'python3-pip',
  apk: 'py3-pip',
  pacman: 'python-pip',
  '*': 'pip',
};

/**
 * Programs whose package has another name, per package manager (`*` = all of them). Programs not listed are
 * assumed to come in a package of their own name when they are in KNOWN_PROGRAMS.
 */
const PACKAGES: Record<string, Partial<Record<PackageManager | '*', string>>> = {
  rg: { '*': 'ripgrep', winget: 'BurntSushi.ripgrep.MSVC' },
  fd: { 'apt-get': 'fd-find', dnf: 'fd-find', yum: 'fd-find', '*': 'fd' },
  ag: { 'apt-get': 'silversearcher-ag', '*': 'the_silver_searcher' },
  bat: { '*': 'bat' },
  http: { '*': 'httpie' },
  convert: { '*': 'imagemagick', dnf: 'ImageMagick', yum: 'ImageMagick' },
  magick: { '*': 'imagemagick', dnf: 'ImageMagick', yum: 'ImageMagick' },
  ifconfig: { '*': 'net-tools' },
  netstat: { '*': 'net-tools' },
  ip: { 'apt-get': 'iproute2', dnf: 'iproute', yum: 'iproute', '*': 'iproute2' },
  dig: { 'apt-get': 'dnsutils', dnf: 'bind-utils', yum: 'bind-utils', apk: 'bind-tools', '*': 'bind' },
  nslookup: { 'apt-get': 'dnsutils', dnf: 'bind-utils', yum: 'bind-utils', apk: 'bind-tools', '*': 'bind' },
  nvim: { '*': 'neovim' },
  node: { 'apt-get': 'nodejs', dnf: 'nodejs', yum: 'nodejs', apk: 'nodejs', '*': 'node' },
  npm: { brew: 'node', '*': 'npm' },
  python3: { brew: 'python', '*': 'python3' },
  python: { 'apt-get': 'python-is-python3', brew: 'python', '*': 'python3' },
  pip: PIP,
  pip3: PIP,
  'g++': { 'apt-get': 'g++', dnf: 'gcc-c++', yum: 'gcc-c++', brew: 'gcc', '*': 'gcc' },
  javac: { 'apt-get': 'default-jdk', dnf: 'java-latest-openjdk-devel', brew: 'openjdk', '*': 'jdk-openjdk' },
  java: { 'apt-get': 'default-jre', dnf: 'java-latest-openjdk', brew: 'openjdk', '*': 'jre-openjdk' },
  '7z': { 'apt-get': 'p7zip-full', dnf: 'p7zip', brew: 'p7zip', '*': 'p7zip' },
  psql: { 'apt-get': 'postgresql-client', dnf: 'postgresql', brew: 'libpq', '*': 'postgresql' },
  mysql: { 'apt-get': 'default-mysql-client', dnf: 'mysql', brew: 'mysql-client', '*': 'mysql' },
  'redis-cli': { 'apt-get': 'redis-tools', '*': 'redis' },
  sqlite3: { dnf: 'sqlite', pacman: 'sqlite', brew: 'sqlite', '*': 'sqlite3' },
  docker: { 'apt-get': 'docker.io', brew: 'docker', '*': 'docker' },
  gh: { '*': 'gh' },
  cargo: { brew: 'rust', '*': 'cargo' },
  go: { 'apt-get': 'golang-go', dnf: 'golang', yum: 'golang', '*': 'go' },
  pygmentize: { 'apt-get': 'python3-pygments', '*': 'pygments' },
  ab: { 'apt-get': 'apache2-utils', dnf: 'httpd-tools', '*': 'apache2-utils' },
  xclip: { '*': 'xclip' },
  pdftotext: { 'apt-get': 'poppler-utils', '*': 'poppler' },
  shellcheck: { dnf: 'ShellCheck', '*': 'shellcheck' },
  dot: { '*': 'graphviz' },
  hg: { '*': 'mercurial' },
  svn: { '*': 'subversion' },
  nc: { 'apt-get': 'netcat-openbsd', '*': 'netcat' },
  R: { 'apt-get': 'r-base', dnf: 'R', brew: 'r', '*': 'r' },
};

/** Well-known programs that are their own package: a missing one is to be installed, not corrected to a neighbour. */
const KNOWN_PROGRAMS = new Set([
  ...Object.keys(PACKAGES),
  ...'htop btop tree jq yq curl wget git tmux screen zsh fish unzip zip rsync nmap strace ltrace gdb valgrind ffmpeg cowsay fortune figlet ncdu tig entr watch lsof neofetch make cmake ninja gcc clang vim emacs nano less file socat netcat telnet traceroute mtr iftop iotop sshpass parallel pv gawk mc ranger fzf direnv httpie ruby perl php lua tcl gnuplot inkscape gimp pandoc hugo terraform kubectl helm minikube kind ansible podman buildah skopeo nodejs yarn pnpm deno bun rustup meson autoconf automake libtool pkg-config gettext git-lfs'.split(
    ' ',
  ),
]);

/** Whether `name` is a program Heal knows is installable (and so not itself a misspelling). */
export function isKnownProgram(name: string): boolean {
  return KNOWN_PROGRAMS.has(name);
}

/** The package that provides `program` for a package manager, when Heal knows it. */
export function packageFor(program: string, manager: PackageManager): string | undefined {
  const entry = PACKAGES[program];
  if (entry) return entry[manager] ?? entry['*'];
  return KNOWN_PROGRAMS.has(program) ? program : undefined;
}

/** Programs a package installs under another name (Debian's `fd-find` installs `fdfind`). */
const INSTALLED_AS: Record<string, Partial<Record<PackageManager, string>>> = {
  fd: { 'apt-get': 'fdfind' },
  bat: { 'apt-get': 'batcat' },
};

/** The name the program has once installed with this manager. */
export function installedName(program: string, manager: PackageManager): string {
  return INSTALLED_AS[program]?.[manager] ?? program;
}

/** The package manager of this machine: from the platform and what is on PATH. */
export function packageManager(
  platform: NodeJS.Platform,
  executables: ReadonlySet<string>,
): PackageManager | undefined {
  const order: PackageManager[] =
    platform === 'darwin'
      ? ['brew', 'port']
      : platform === 'win32'
        ? ['winget', 'choco', 'scoop']
        : ['apt-get', 'dnf', 'yum', 'pacman', 'zypper', 'apk', 'brew'];
  return order.find((m) => executables.has(m));
}

/** Whether installing with this manager needs root (system package managers on Linux do; Homebrew, winget… do not). */
export function needsRoot(manager: PackageManager): boolean {
  return ['apt-get', 'dnf', 'yum', 'pacman', 'zypper', 'apk', 'port'].includes(manager);
}

/** The install command line for `pkg` (without any sudo). */
export function installCommand(manager: PackageManager, pkg: string): string {
  switch (manager) {
    case 'pacman':
      return `pacman -S ${pkg}`;
    case 'apk':
      return `apk add ${pkg}`;
    case 'zypper':
      return `zypper install ${pkg}`;
    case 'winget':
      return `winget install ${pkg}`;
    case 'port':
      return `port install ${pkg}`;
    default:
      return `${manager} install ${pkg}`;
  }
}

export interface MissingCommand {
  /** The program the shell could not find. */
  name: string;
  /** Where it was called, when a script called it (`./build.sh: line 3: gti: command not found`). */
  script?: string;
  line?: number;
  /** The platform's own install command, when its command-not-found handler printed one. */
  install?: string;
  /** Commands the platform's handler offered instead (`command 'git' from deb git`), with their packages. */
  offered: Array<{ name: string; install?: string }>;
}

/** What the shell or the platform said about a command it could not find (bash, dash, zsh, fish, cmd, PowerShell, Ubuntu's and Fedora's handlers). */
export function missingCommand(output: string): MissingCommand | undefined {
  if (!/not found|not recognized|Unknown command/i.test(output)) return undefined;
  let name: string | undefined;
  let script: string | undefined;
  let line: number | undefined;
  for (const raw of output.split('\n')) {
    const text = raw.trim();
    let m = /^(.*?)(?::|\s+-) (?:command not found|not found|Command not found)(?:\.\.\.)?$/.exec(text);
    if (m) {
      const parts = m[1].split(': ');
      name = parts[parts.length - 1];
      const at = /^(.+?): (?:line )?(\d+)$/.exec(parts.slice(0, -1).join(': '));
      if (at && !/^(?:-?bash|sh|dash|zsh|ksh|\/bin\/\w+)$/.test(at[1])) [script, line] = [at[1], Number(at[2])];
    } else if (
      (m =
        /^(?:zsh|bash): command not found: (\S+)$/.exec(text) ?? /^fish: Unknown command:? '?([^\s']+)'?$/.exec(text))
    )
      name = m[1];
    else if (
      (m =
        /^'([^']+)' is not recognized as an internal or external command/.exec(text) ??
        /The term '([^']+)' is not recognized as (?:the )?name of a cmdlet/.exec(text))
    )
      name = m[1];
    else if ((m = /^Command '([^']+)' not found/.exec(text) ?? /^No command '([^']+)' found/.exec(text))) name = m[1];
    if (name) break;
  }
  if (!name || !/^[\w.+-]+$/.test(name) || /^\d+$/.test(name)) return undefined;
  const install =
    /can be installed with:\s*\n\s*((?:sudo )?(?:apt|apt-get|snap|dnf|yum|pkg) install [^\s<>]+)\s*$/m.exec(
      output,
    )?.[1] ??
    /You can install it by typing:\s*\n\s*((?:sudo )?(?:apt|apt-get) install [^\s<>]+)/.exec(output)?.[1] ??
    (/Install package '([^']+)' to provide command/.exec(output)?.[1]
      ? `sudo dnf install ${/Install package '([^']+)' to provide command/.exec(output)![1]}`
      : undefined);
  const offered: MissingCommand['offered'] = [];
  for (const m of output.matchAll(/^\s*command '([^']+)' from (deb|snap) ([\w.+-]+)/gm))
    offered.push({ name: m[1], install: `sudo ${m[2] === 'snap' ? 'snap' : 'apt'} install ${m[3]}` });
  return { name, script, line, install, offered };
}
