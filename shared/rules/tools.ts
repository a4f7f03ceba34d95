// Command lines of particular tools that fail in well-known ways.
import { programIndex, replaceWord } from '../corrections/commandLine';
import { closestCommands } from '../corrections/executables';
import { replace, type Rule } from './rule';

const precondition: Rule = {
  id: 'tools.run-first',
  propose(input) {
    let m = /Run `(vagrant up)`/.exec(input.output);
    if (m) {
      const machine = input.line.plain[programIndex(input.line) + 2];
      const out =
        machine && !machine.startsWith('-')
          ? [
              replace(
                `vagrant up ${machine} && ${input.command}`,
                `The machine ${machine} is not running; start it first.`,
                0.85,
              ),
            ]
          : [];
      return [
        ...out,
        replace(`vagrant up && ${input.command}`, 'The Vagrant machine is not running; start it first.', 0.8),
      ];
    }
    m = /To resolve this issue, run:\s*\n\s+(.+)/.exec(input.output);
    if (m) return [replace(`${m[1].trim()} && ${input.command}`, 'The tool says this must run first.', 0.85)];
    return [];
  },
};

const systemctlOrder: Rule = {
  id: 'tools.systemctl-order',
  programs: ['systemctl'],
  propose(input) {
    const p = programIndex(input.line);
    const [unit, verb] = [input.line.plain[p + 1], input.line.plain[p + 2]];
    const verbs = [
      'start',
      'stop',
      'restart',
      'reload',
      'status',
      'enable',
      'disable',
      'is-active',
      'is-enabled',
      'mask',
      'unmask',
    ];
    if (!unit || !verb || verbs.includes(unit) || !verbs.includes(verb)) return [];
    const words = [...input.line.words];
    [words[p + 1], words[p + 2]] = [words[p + 2], words[p + 1]];
    return [replace(words.join(' '), 'systemctl takes the action before the unit.', 0.9)];
  },
};

const fileExtension: Rule = {
  id: 'tools.file-extension',
  programs: ['java', 'javac', 'go', 'python', 'python3'],
  propose(input) {
    const p = programIndex(input.line);
    const { plain } = input.line;
    const i =
      input.program === 'go'
        ? plain[p + 1] === 'run'
          ? p + 2
          : -1
        : plain.findIndex((w, k) => k > p && !w.startsWith('-'));
    if (i < 0 || i >= plain.length) return [];
    const arg = plain[i];
    if (input.program === 'java' && arg.endsWith('.java'))
      return [
        replace(
          replaceWord(input.line, i, arg.slice(0, -5)),
          '`java` takes the class name, not the source file.',
          0.85,
        ),
      ];
    const ext =
      input.program === 'javac'
        ? '.java'
        : input.program === 'go'
          ? '.go'
          : input.program.startsWith('python')
            ? '.py'
            : '';
    if (
      !ext ||
      arg.includes('.') ||
      (input.output && !/can't open file|No such file|not found|file not found|must end in/i.test(input.output))
    )
      return [];
    return [replace(replaceWord(input.line, i, arg + ext), `The file is ${arg}${ext}.`, 0.8)];
  },
};

const whoisUrl: Rule = {
  id: 'tools.whois-url',
  programs: ['whois'],
  propose(input) {
    const i = input.line.plain.findIndex((w) => /^[a-z]+:\/\//.test(w));
    if (i < 0) return [];
    return [
      replace(
        replaceWord(input.line, i, new URL(input.line.plain[i]).hostname),
        'whois takes a domain name, not a URL.',
        0.85,
      ),
    ];
  },
};

const agLiteral: Rule = {
  id: 'tools.ag-literal',
  programs: ['ag'],
  propose(input) {
    if (!/run ag with -Q/.test(input.output)) return [];
    return [
      replace(
        replaceWord(input.line, programIndex(input.line), 'ag -Q'),
        'The pattern is not a valid regex; `-Q` searches it literally.',
        0.9,
      ),
    ];
  },
};

const openTarget: Rule = {
  id: 'tools.open-target',
  programs: ['open', 'xdg-open', 'gnome-open', 'kde-open'],
  propose(input) {
    const m = /The file (\S+) does not exist/.exec(input.output);
    if (!m) return [];
    const i = input.line.plain.indexOf(m[1]);
    if (
      /^[\w-]+(?:\.[\w-]+)+$/.test(m[1]) &&
      /\.(?:com|org|net|io|dev|app|co|info|edu|gov|de|uk|fr)$/.test(m[1]) &&
      i >= 0
    ) {
      return [replace(replaceWord(input.line, i, `http://${m[1]}`), `${m[1]} looks like a web address.`, 0.85)];
    }
    return [
      replace(`touch ${m[1]} && ${input.command}`, `${m[1]} does not exist; create it as a file.`, 0.6),
      replace(`mkdir ${m[1]} && ${input.command}`, `${m[1]} does not exist; create it as a folder.`, 0.55),
    ];
  },
};

const terraformInit: Rule = {
  id: 'tools.terraform-init',
  programs: ['terraform', 'tofu'],
  propose(input) {
    const verb = input.line.plain[programIndex(input.line) + 1];
    if (!/^(?:plan|apply|validate|refresh|import|destroy)$/.test(verb ?? '')) return [];
    if (
      input.output &&
      !/terraform init|Initialization required|not yet installed|provider.*not available|Module not installed/i.test(
        input.output,
      )
    )
      return [];
    return [
      replace(
        `${input.program} init && ${input.command}`,
        'The working directory is not initialised (providers and modules missing).',
        input.output ? 0.85 : 0.4,
      ),
    ];
  },
};

const lnSymbolic: Rule = {
  id: 'tools.ln-symbolic',
  programs: ['ln'],
  propose(input) {
    const p = programIndex(input.line);
    if (input.line.plain.some((w) => /^-\w*s/.test(w) || w === '--symbolic')) return [];
    if (input.output && !/hard link not allowed for directory/.test(input.output)) return [];
    return [
      replace(
        replaceWord(input.line, p, `${input.line.words[p]} -s`),
        'Hard links to folders are not allowed; `-s` makes a symbolic link.',
        input.output ? 0.9 : 0.4,
      ),
    ];
  },
};

const lsHidden: Rule = {
  id: 'tools.ls-hidden',
  programs: ['ls'],
  propose(input) {
    if (input.output.trim() || input.line.plain.length > 1 + programIndex(input.line)) return [];
    return [
      replace(`${input.command} -A`, 'Nothing was listed; the folder may hold only hidden files.', 0.3),
      replace(`${input.command} -lah`, 'Long listing with hidden files and sizes.', 0.25),
    ];
  },
};

const proveRecursive: Rule = {
  id: 'tools.prove-recursive',
  programs: ['prove'],
  propose(input) {
    if (!/Result: NOTESTS|Files=0, Tests=0/.test(input.output) || input.line.plain.includes('-r')) return [];
    return [
      replace(
        replaceWord(input.line, programIndex(input.line), 'prove -r'),
        'No tests were found at the top level; `-r` searches subfolders.',
        0.85,
      ),
    ];
  },
};

const scriptWithoutInterpreter: Rule = {
  id: 'tools.script-interpreter',
  propose(input) {
    const script = input.line.plain[programIndex(input.line)] ?? '';
    const m = /\.(py|rb|pl|sh|js)$/.exec(script);
    if (
      !m ||
      !/^\.{0,2}\//.test(script) ||
      (input.output && !/Permission denied|bad interpreter|cannot execute/.test(input.output))
    )
      return [];
    const interpreter = { py: 'python', rb: 'ruby', pl: 'perl', sh: 'sh', js: 'node' }[m[1]]!;
    return [
      replace(
        `${interpreter} ${input.command}`,
        `Run the ${interpreter} script with its interpreter (it is not executable).`,
        input.output ? 0.7 : 0.35,
      ),
    ];
  },
};

const loginFirst: Rule = {
  id: 'tools.login-first',
  propose(input) {
    if (!input.program) return [];
    // The tool names its login command: `Please run 'az login'`, "run `gh auth login`".
    const named = /\b(?:run|use|try):?\s+[`'"]?([\w.-]+(?: auth)? login)\b/i.exec(input.output);
    if (named) return [replace(`${named[1]} && ${input.command}`, 'The tool says to log in first.', 0.85)];
    if (!/\bnot (?:authenticated|logged in)\b|session (?:has )?expired|\b(?:please|must) log ?in\b/i.test(input.output))
      return [];
    return [
      replace(
        `${input.program} login && ${input.command}`,
        `${input.program} says you are not logged in (or the session expired); log in, then run it again.`,
        0.75,
      ),
    ];
  },
};

const herokuApp: Rule = {
  id: 'tools.heroku-app',
  programs: ['heroku'],
  propose(input) {
    if (!/Multiple apps in git remotes/.test(input.output)) return [];
    // "▸    myapp (heroku)" under "Heroku remotes in repo:"
    const apps = [...input.output.matchAll(/^\W*([\w-]+) \([\w-]+\)\s*$/gm)].map((m) => m[1]);
    return apps.map((app, i) =>
      replace(
        `${input.command} --app ${app}`,
        `This repository has several Heroku apps; name one (${app}).`,
        0.8 - i * 0.05,
      ),
    );
  },
};

/** adb's commands (platform-tools 35); for one it does not know adb says so, or (before 1.0.40) prints its usage. */
const ADB_COMMANDS = [
  'devices',
  'connect',
  'disconnect',
  'pair',
  'forward',
  'reverse',
  'mdns',
  'push',
  'pull',
  'sync',
  'shell',
  'emu',
  'install',
  'install-multiple',
  'install-multi-package',
  'uninstall',
  'bugreport',
  'jdwp',
  'logcat',
  'disable-verity',
  'enable-verity',
  'keygen',
  'wait-for-device',
  'get-state',
  'get-serialno',
  'get-devpath',
  'remount',
  'reboot',
  'sideload',
  'root',
  'unroot',
  'usb',
  'tcpip',
  'start-server',
  'kill-server',
  'reconnect',
  'attach',
  'detach',
  'backup',
  'restore',
  'help',
  'version',
  'features',
  'host-features',
];

const adbCommand: Rule = {
  id: 'tools.adb-command',
  programs: ['adb'],
  propose(input) {
    if (!/^adb: unknown command |^\s*Android Debug Bridge version/m.test(input.output)) return [];
    const words = input.line.plain;
    let i = programIndex(input.line) + 1;
    // Global options, those with a value (-s SERIAL, -t ID, -H HOST, -P PORT, -L SOCKET) skipping it.
    while (i < words.length && words[i].startsWith('-')) i += /^-[stHPL]$/.test(words[i]) ? 2 : 1;
    const typed = words[i];
    if (!typed || ADB_COMMANDS.includes(typed)) return [];
    return closestCommands(typed, ADB_COMMANDS).map(({ name }, k) =>
      replace(replaceWord(input.line, i, name), `adb has no command ${typed}; ${name} is the closest.`, 0.85 - k * 0.1),
    );
  },
};

export const toolRules: Rule[] = [
  precondition,
  systemctlOrder,
  fileExtension,
  whoisUrl,
  agLiteral,
  openTarget,
  terraformInit,
  lnSymbolic,
  lsHidden,
  proveRecursive,
  scriptWithoutInterpreter,
  loginFirst,
  herokuApp,
  adbCommand,
];
