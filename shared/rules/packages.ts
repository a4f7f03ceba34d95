// Package managers: missing packages, mistyped commands, scripts.
import { builtinModules } from 'node:module';
import { joinWords, programIndex, replaceWord } from '../corrections/commandLine';
import { closeMatches } from '../corrections/similarity';
import { Category } from '../detect/categories';
import { advice, replace, runFirst, type Proposal, type Rule, type RuleInput } from './rule';

/** Import names that differ from the PyPI package that provides them. */
export const PYTHON_PACKAGES: Record<string, string> = {
  cv2: 'opencv-python',
  yaml: 'pyyaml',
  PIL: 'pillow',
  sklearn: 'scikit-learn',
  bs4: 'beautifulsoup4',
  dateutil: 'python-dateutil',
  dotenv: 'python-dotenv',
  jwt: 'pyjwt',
  serial: 'pyserial',
  usb: 'pyusb',
  Crypto: 'pycryptodome',
  OpenSSL: 'pyopenssl',
  magic: 'python-magic',
  docx: 'python-docx',
  pptx: 'python-pptx',
  skimage: 'scikit-image',
  google: 'protobuf',
  attr: 'attrs',
  MySQLdb: 'mysqlclient',
  psycopg2: 'psycopg2-binary',
  zmq: 'pyzmq',
  gi: 'pygobject',
  wx: 'wxpython',
  telegram: 'python-telegram-bot',
  github: 'pygithub',
  slugify: 'python-slugify',
  multipart: 'python-multipart',
  Levenshtein: 'python-levenshtein',
  fitz: 'pymupdf',
  win32api: 'pywin32',
};

/** The npm package that provides an import specifier (`lodash/fp` → `lodash`, `@a/b/c` → `@a/b`). */
export function npmPackageOf(specifier: string): string | undefined {
  if (/^(?:\.|\/|node:|[A-Za-z]:\\)/.test(specifier)) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtinModules.includes(name) ? undefined : name;
}

/** `@types/x` for a package (`@scope/pkg` → `@types/scope__pkg`). */
export function typesPackageOf(pkg: string): string {
  return `@types/${pkg.startsWith('@') ? pkg.slice(1).replace('/', '__') : pkg}`;
}

function nodeInstaller(input: RuleInput): string {
  if (input.env.exists('pnpm-lock.yaml')) return 'pnpm add';
  if (input.env.exists('yarn.lock')) return 'yarn add';
  if (input.env.exists('bun.lockb') || input.env.exists('bun.lock')) return 'bun add';
  return 'npm install';
}

const nodeMissingModule: Rule = {
  id: 'packages.node-missing-module',
  tools: ['node', 'tsc', 'jest', 'vitest', 'mocha'],
  propose(input) {
    const out: Proposal[] = [];
    for (const e of input.events) {
      if (e.category !== Category.moduleNotFound && e.category !== Category.missingTypes) continue;
      const pkg = e.data?.module ? npmPackageOf(e.data.module) : undefined;
      if (!pkg) continue;
      const install = nodeInstaller(input);
      if (e.category === Category.missingTypes) {
        out.push(
          runFirst(
            `${install} -D ${typesPackageOf(pkg)}`,
            `${pkg} ships no type declarations; DefinitelyTyped's ${typesPackageOf(pkg)} provides them.`,
            0.85,
            e,
          ),
        );
      } else {
        out.push(runFirst(`${install} ${pkg}`, `The package ${pkg} is not installed in this project.`, 0.85, e));
      }
    }
    return out;
  },
};

/** TS2304/TS258x for test-framework and Node globals: the types package is missing (the compiler often names it). */
const missingGlobalTypes: Rule = {
  id: 'packages.missing-global-types',
  tools: ['tsc'],
  propose(input) {
    const out: Proposal[] = [];
    const seen = new Set<string>();
    for (const e of input.events) {
      if (e.category !== Category.nameNotFound && !/^TS25(?:80|81|82|91|92|93)$/.test(e.data?.code ?? '')) continue;
      const name = e.data?.name ?? /Cannot find name '([^']+)'/.exec(e.message)?.[1];
      // The compiler's own advice first ("Try `npm i --save-dev @types/jest` or `npm i --save-dev @types/mocha`").
      const named = [...e.message.matchAll(/`npm i(?:nstall)? (?:--save-dev|-D) (@types\/[\w.-]+)`/g)].map((m) => m[1]);
      const guessed =
        name &&
        (/^(?:describe|it|test|expect|beforeEach|afterEach|beforeAll|afterAll|jest)$/.test(name)
          ? '@types/jest'
          : /^(?:require|process|Buffer|__dirname|__filename|module|global|exports)$/.test(name)
            ? '@types/node'
            : undefined);
      const packages = named.length ? named : guessed ? [guessed] : [];
      packages.forEach((pkg, i) => {
        if (seen.has(pkg)) return;
        seen.add(pkg);
        const why = named.length
          ? `\`${name}\` is declared by ${pkg}, which is not installed; the compiler suggests it.`
          : `\`${name}\` is declared by ${pkg}, which is not installed.`;
        out.push(runFirst(`${nodeInstaller(input)} -D ${pkg}`, why, 0.8 - i * 0.1, e));
      });
    }
    return out;
  },
};

const npmMissingScript: Rule = {
  id: 'packages.missing-script',
  tools: ['npm', 'pnpm', 'yarn'],
  propose(input) {
    const e = input.events.find((ev) => ev.category === Category.missingScript);
    if (!e?.data?.script) return [];
    const scripts = input.env.packageScripts() ?? [];
    const typed = e.data.script;
    const close = closeMatches(typed, scripts, 3, 0.4);
    if (close.length === 0)
      return [
        advice(
          `Run \`${input.program || 'npm'} run\` to list the scripts in package.json`,
          `package.json has no script named ${typed}.`,
          0.4,
          e,
        ),
      ];
    const index = input.line.plain.lastIndexOf(typed);
    return close.map((s, i) => ({
      ...replace(
        index >= 0 ? replaceWord(input.line, index, s) : `npm run ${s}`,
        `package.json has no script ${typed}; ${s} is the closest one.`,
        0.9 - i * 0.1,
      ),
      event: e,
    }));
  },
};

const npmRegistry404: Rule = {
  id: 'packages.npm-404',
  tools: ['npm', 'pnpm', 'yarn'],
  propose(input) {
    return input.events
      .filter((e) => e.category === Category.packageNotFound)
      .map((e) =>
        advice(
          `Check the package name \`${e.data?.package ?? ''}\` (typo, missing scope, or a private registry that needs login)`,
          'The registry has no package by that name.',
          0.5,
          e,
        ),
      );
  },
};

const npmEresolve: Rule = {
  id: 'packages.npm-eresolve',
  tools: ['npm'],
  propose(input) {
    const e = input.events.find((ev) => ev.data?.code === 'ERESOLVE');
    if (!e || !/^npm (?:i|install|ci|add)\b/.test(input.command)) return [];
    const out: Proposal[] = [
      {
        ...replace(
          `${input.command} --legacy-peer-deps`,
          'Peer dependency ranges conflict; install with npm 6 peer semantics and review the warnings.',
          0.6,
        ),
        event: e,
      },
    ];
    // "Could not resolve dependency: peer host-b@"^2.0.0" from plugin-a@1.0.0": install the version the peer wants.
    const peer = /Could not resolve dependency:\s*\n(?:npm (?:error|ERR!|warn) )?peer (\S+?)@"([^"]+)" from (\S+)/.exec(
      input.output,
    );
    if (peer && /^npm (?:i|install|add)\b/.test(input.command)) {
      out.push({
        ...runFirst(
          `npm install ${peer[1]}@"${peer[2]}"`,
          `${peer[3]} needs ${peer[1]} ${peer[2]}; installing that version resolves the conflict if the project works with it.`,
          0.55,
          e,
        ),
      });
    }
    return out;
  },
};

const yarnInstallReplaced: Rule = {
  id: 'packages.tool-says-run',
  propose(input) {
    const m = /(?:Run|run|Use|use|try) ["`']([^"`']+)["`'] instead/.exec(input.output);
    if (!m || m[1].split(' ')[0] !== input.program) return [];
    return [replace(m[1], `${input.program} says to run \`${m[1]}\` instead.`, 0.9)];
  },
};

const pythonMissingModule: Rule = {
  id: 'packages.python-missing-module',
  tools: ['python', 'pytest'],
  propose(input) {
    const out: Proposal[] = [];
    for (const e of input.events) {
      if (e.category !== Category.moduleNotFound || !e.data?.module) continue;
      const top = e.data.module.split('.')[0];
      const pkg = PYTHON_PACKAGES[top] ?? top;
      const pip = input.env.exists('.venv/bin/pip') ? '.venv/bin/pip' : 'pip';
      if (input.env.exists('.venv') && !/\.venv|VIRTUAL_ENV/.test(input.command)) {
        out.push(
          advice(
            'Activate the project environment first: `. .venv/bin/activate`',
            `A virtual environment exists in .venv but is not active, so ${top} may be installed there.`,
            0.6,
            e,
          ),
        );
      }
      out.push(
        runFirst(
          `${pip} install ${pkg}`,
          PYTHON_PACKAGES[top]
            ? `\`import ${top}\` is provided by the PyPI package ${pkg}.`
            : `The Python module ${top} is not installed.`,
          0.8,
          e,
        ),
      );
    }
    return out;
  },
};

const pipProblems: Rule = {
  id: 'packages.pip',
  tools: ['pip'],
  propose(input) {
    const out: Proposal[] = [];
    for (const e of input.events) {
      if (e.category === Category.packageNotFound)
        out.push(
          advice(
            `Check the name \`${e.data?.package}\` on pypi.org, your Python version, and your index URL or network`,
            'pip found no distribution of that name for this Python.',
            0.5,
            e,
          ),
        );
      if (e.data?.kind === 'externally-managed')
        out.push(
          runFirst(
            'python3 -m venv .venv && . .venv/bin/activate',
            'This Python is managed by the system; install packages into a virtual environment.',
            0.7,
            e,
          ),
        );
    }
    return out;
  },
};

const cargoAdd: Rule = {
  id: 'packages.cargo-add',
  tools: ['rust'],
  propose(input) {
    return input.events
      .filter(
        (e) =>
          e.category === Category.moduleNotFound &&
          e.data?.module &&
          !['crate', 'self', 'super', 'std', 'core', 'alloc'].includes(e.data.module),
      )
      .map((e) =>
        runFirst(
          e.data?.suggestion ?? `cargo add ${e.data!.module}`,
          `The crate ${e.data!.module} is not a dependency in Cargo.toml.`,
          0.85,
          e,
        ),
      );
  },
};

const goModules: Rule = {
  id: 'packages.go-modules',
  tools: ['go'],
  propose(input) {
    const out: Proposal[] = [];
    for (const e of input.events) {
      if (e.category !== Category.moduleNotFound || !e.data?.package) continue;
      if (e.data.kind === 'go.sum')
        out.push(runFirst('go mod tidy', 'go.sum lacks an entry; `go mod tidy` records it.', 0.85, e));
      else
        out.push(
          runFirst(`go get ${e.data.package}`, `No module in go.mod provides ${e.data.package}.`, 0.8, e),
          runFirst('go mod tidy', 'Adds missing and removes unused module requirements.', 0.7, e),
        );
    }
    return out;
  },
};

const pacmanOperation: Rule = {
  id: 'packages.pacman-operation',
  programs: ['pacman', 'yay', 'pikaur', 'yaourt'],
  propose(input) {
    const i = input.line.plain.findIndex((w) => /^-[dfqrstuv]\w*$/.test(w));
    if (i < 0 || (input.output && !/invalid option/.test(input.output))) return [];
    const word = input.line.plain[i];
    return [
      replace(
        replaceWord(input.line, i, `-${word[1].toUpperCase()}${word.slice(2)}`),
        `pacman operations are upper-case (\`-${word[1].toUpperCase()}\`).`,
        0.85,
      ),
    ];
  },
};

const chocoInstall: Rule = {
  id: 'packages.choco-install',
  programs: ['choco', 'cinst'],
  propose(input) {
    const { plain } = input.line;
    const p = programIndex(input.line);
    const start = input.program === 'cinst' ? p + 1 : plain[p + 1] === 'install' ? p + 2 : -1;
    if (start < 0) return [];
    const i = plain.findIndex((w, k) => k >= start && !w.startsWith('-') && !w.startsWith('/') && !w.includes('='));
    if (i < 0 || plain[i].endsWith('.install')) return [];
    return [
      replace(
        replaceWord(input.line, i, `${input.line.words[i]}.install`),
        'Chocolatey installers are packaged as `<name>.install`.',
        0.7,
      ),
    ];
  },
};

const brewReinstall: Rule = {
  id: 'packages.brew-reinstall',
  programs: ['brew'],
  propose(input) {
    const i = input.line.plain.indexOf('install');
    if (i < 0 || !/is already installed and up-to-date/.test(input.output)) return [];
    return [
      replace(replaceWord(input.line, i, 'reinstall'), 'It is already installed; `reinstall` installs it again.', 0.85),
    ];
  },
};

const brewCaskDependency: Rule = {
  id: 'packages.brew-cask-dependency',
  programs: ['brew'],
  propose(input) {
    const m = /You can install with Homebrew-Cask:\s*\n\s+(brew (?:cask )?install \S+)/.exec(input.output);
    return m
      ? [
          replace(
            `${m[1]} && ${input.command}`,
            'A requirement is missing; brew names the cask that provides it.',
            0.85,
          ),
        ]
      : [];
  },
};

const pipInstallUser: Rule = {
  id: 'packages.pip-permission',
  programs: ['pip', 'pip3'],
  propose(input) {
    if (
      input.output.trim() &&
      !/Permission denied|Could not install packages due to an (?:OSError|EnvironmentError)/.test(input.output)
    )
      return [];
    const i = input.line.plain.indexOf('install');
    if (i < 0) return [];
    const confidence = input.output.trim() ? 0.7 : 0.35;
    if (!input.line.plain.includes('--user'))
      return [
        replace(
          joinWords([...input.line.words.slice(0, i + 1), '--user', ...input.line.words.slice(i + 1)]),
          'No permission to write to the system site-packages; install for your user.',
          confidence,
        ),
      ];
    return [
      replace(
        `sudo ${joinWords(input.line.words.filter((w) => w !== '--user'))}`,
        'Installing system-wide needs root; prefer a virtual environment.',
        confidence - 0.1,
      ),
    ];
  },
};

export const packageRules: Rule[] = [
  nodeMissingModule,
  missingGlobalTypes,
  npmMissingScript,
  npmRegistry404,
  npmEresolve,
  yarnInstallReplaced,
  pythonMissingModule,
  pipProblems,
  cargoAdd,
  goModules,
  pacmanOperation,
  chocoInstall,
  brewReinstall,
  brewCaskDependency,
  pipInstallUser,
];
