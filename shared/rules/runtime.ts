// Failures of running programs and tools: ports, memory, watchers, daemons, lint, types, tests.
import { Category } from '../detect/categories';
import { closeMatches } from '../corrections/similarity';
import type { ErrorEvent } from '../detect/detector';
import { advice, replace, runFirst, type Proposal, type Rule, type RuleInput } from './rule';

const eachEvent = (
  id: string,
  category: string,
  make: (e: import('../detect/detector').ErrorEvent, input: import('./rule').RuleInput) => Proposal[],
): Rule => ({
  id,
  propose: (input) => input.events.filter((e) => e.category === category).flatMap((e) => make(e, input)),
});

const portInUse = eachEvent('runtime.port-in-use', Category.portInUse, (e, input) => {
  const port = e.data?.port;
  const out: Proposal[] = [
    advice(
      port
        ? `Find what holds port ${port}: \`lsof -i :${port}\` (or \`fuser ${port}/tcp\`), then stop it or use another port`
        : 'Another process holds the port; stop it or use another port',
      `Port ${port ?? ''} is already in use by another process.`,
      0.6,
      e,
    ),
  ];
  if (port && input.command && !/\bPORT=/.test(input.command))
    out.push({
      ...replace(
        `PORT=${Number(port) + 1} ${input.command}`,
        `Runs on port ${Number(port) + 1} instead, for programs that read PORT.`,
        0.5,
      ),
      event: e,
    });
  return out;
});

const outOfMemory = eachEvent('runtime.node-heap', Category.outOfMemory, (e, input) =>
  e.tool === 'node' && input.command
    ? [
        {
          ...replace(
            `NODE_OPTIONS=--max-old-space-size=4096 ${input.command.replace(/^NODE_OPTIONS=\S+ /, '')}`,
            "Node ran out of heap; this raises V8's heap limit to 4 GB for the command.",
            0.75,
          ),
          event: e,
        },
      ]
    : [
        advice(
          'The program ran out of memory; reduce the input or raise its memory limit',
          'The process exhausted its memory.',
          0.4,
          e,
        ),
      ],
);

const inotify = eachEvent('runtime.inotify-watchers', Category.noSpace, (e) =>
  e.data?.kind === 'inotify'
    ? [
        runFirst(
          'sudo sysctl fs.inotify.max_user_watches=524288',
          'The system limit on file watchers is reached; raising it lets watchers start (persist it in /etc/sysctl.d/).',
          0.7,
          e,
        ),
      ]
    : [advice('Free disk space (`df -h` shows which filesystem is full)', 'The disk is full.', 0.5, e)],
);

const dockerDaemon = eachEvent('runtime.docker-daemon', Category.dockerDaemonDown, (e, input) => [
  input.env.platform === 'linux'
    ? runFirst('sudo systemctl start docker', 'The Docker daemon is not running.', 0.7, e)
    : advice('Start Docker Desktop', 'The Docker daemon is not running.', 0.7, e),
]);

const dockerImage: Rule = {
  id: 'runtime.docker-image',
  propose(input) {
    const events = input.events.filter((e) => e.category === Category.dockerImageNotFound);
    // The docker client's own words for a registry without that tag (`docker manifest inspect`, `buildx imagetools`).
    const fromClient =
      events.length === 0 && input.program === 'docker'
        ? /^no such manifest: (\S+)/m.exec(input.output)?.[1]
        : undefined;
    const images: Array<[string | undefined, ErrorEvent | undefined]> = fromClient
      ? [[fromClient, undefined]]
      : events.map((e) => [e.data?.image, e]);
    return images.map(([image, e]) =>
      advice(
        image
          ? `Check the image name and tag \`${image}\` (the tags the registry has, and \`docker login\` for a private registry)`
          : 'Check the image name and tag (and `docker login` for a private registry)',
        'The registry has no image by that name and tag, or it needs credentials.',
        0.5,
        e,
      ),
    );
  },
};

const connectionRefused = eachEvent('runtime.connection-refused', Category.connectionRefused, (e, input) => {
  const port =
    e.data?.port ??
    /\b(?:localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0):(\d{2,5})\b/.exec(`${input.command} ${input.output}`)?.[1];
  const host = e.data?.host ?? (port ? 'localhost' : undefined);
  const where = host && port ? `${host}:${port}` : undefined;
  return [
    advice(
      where
        ? `Start the service expected on ${where} (\`lsof -i :${port}\` shows whether anything listens), or fix the address`
        : 'Start the service the program connects to, or fix the address it uses',
      `Nothing is listening at ${where ?? 'the address the program connects to'}; the connection was refused.`,
      0.5,
      e,
    ),
  ];
});

const eslintFix: Rule = {
  id: 'runtime.eslint-fix',
  tools: ['eslint'],
  propose(input) {
    const files = [
      ...new Set(input.events.filter((e) => e.tool === 'eslint' && e.data?.fixableInRun && e.file).map((e) => e.file!)),
    ];
    return files.map((f) =>
      runFirst(
        `npx eslint --fix ${f}`,
        'ESLint reported problems it can fix itself.',
        0.8,
        input.events.find((e) => e.file === f),
      ),
    );
  },
};

/** The column of `name` as a whole word on a (1-based) line of a file, when the event does not give one. */
function locate(input: RuleInput, file: string, line: number, name: string): number | undefined {
  const text = input.env.readFile?.(file)?.split('\n')[line - 1];
  const at = text ? new RegExp(`(?<![\\w$])${name.replace(/[$]/g, '\\$')}(?![\\w$])`).exec(text)?.index : undefined;
  return at === undefined ? undefined : at + 1;
}

const tscDidYouMean: Rule = {
  id: 'runtime.tsc-did-you-mean',
  tools: ['tsc'],
  propose(input) {
    const out: Proposal[] = [];
    for (const e of input.events) {
      const { name, suggestion } = e.data ?? {};
      if (!suggestion || !name || !e.file || !e.line) continue;
      const column = e.column ?? locate(input, e.file, e.line, name);
      const why = `There is no \`${name}\`; the compiler points at \`${suggestion}\`.`;
      if (!column) {
        out.push(advice(`Replace \`${name}\` with \`${suggestion}\` at ${e.file}:${e.line}`, why, 0.6, e));
        continue;
      }
      const start = { line: e.line - 1, character: column - 1 };
      out.push({
        kind: 'edit',
        edits: [
          {
            file: e.file,
            range: { start, end: { line: start.line, character: start.character + name.length } },
            newText: suggestion,
          },
        ],
        description: `Replace \`${name}\` with \`${suggestion}\``,
        why,
        confidence: 0.85,
        event: e,
      });
    }
    return out;
  },
};

const strictNull: Rule = {
  id: 'runtime.tsc-possibly-null',
  tools: ['tsc'],
  propose(input) {
    return input.events
      .filter((e) => e.category === Category.possiblyNull || e.category === Category.possiblyUndefined)
      .map((e) => {
        const what = e.category === Category.possiblyNull ? 'null' : 'undefined';
        const name = /^(?:TS\d+: )?'([^']+)' is possibly/.exec(e.message)?.[1];
        const at = e.file ? ` at ${e.file}${e.line ? `:${e.line}` : ''}` : '';
        return advice(
          name
            ? `Check \`${name}\` before use${at} (\`if (${name})\`, \`${name}?.…\` or \`${name} ?? …\`), or fix the type that allows ${what}`
            : `Check the value before use${at} (\`if (x)\`/\`?.\`/\`??\`) or fix the type that allows ${what}`,
          `Under strictNullChecks the value may be ${what} here.`,
          0.5,
          e,
        );
      });
  },
};

const pytestFixture = eachEvent('runtime.pytest-fixture', Category.fixtureNotFound, (e, input) => {
  const available = /available fixtures: ([^\n]+)/.exec(input.output)?.[1].split(/,\s*/) ?? [];
  const close = e.data?.fixture ? closeMatches(e.data.fixture, available, 1, 0.6)[0] : undefined;
  return [
    advice(
      close
        ? `Did you mean the fixture \`${close}\`? Otherwise define \`${e.data?.fixture}\` in conftest.py`
        : `Define the fixture \`${e.data?.fixture}\` in conftest.py (or install the plugin that provides it)`,
      'pytest found no fixture by that name.',
      close ? 0.7 : 0.55,
      e,
    ),
  ];
});

const pythonIndentation = eachEvent('runtime.python-indentation', Category.indentation, (e) => [
  advice(
    `Fix the indentation at ${e.file ?? 'the file'}:${e.line ?? ''} (use 4 spaces; do not mix tabs and spaces)`,
    'Python found a block with wrong indentation.',
    0.6,
    e,
  ),
]);

const testFailure: Rule = {
  id: 'runtime.test-failure',
  propose(input) {
    return input.events
      .filter((e) => e.category === Category.testFailure)
      .slice(0, 20)
      .map((e) =>
        advice(
          `Fix the assertion at ${e.file ?? '?'}${e.line ? `:${e.line}` : ''}, or re-run only this test to check whether it is flaky`,
          `The test ${e.data?.test ?? ''} failed.`,
          0.3,
          e,
        ),
      );
  },
};

const missingHeader = eachEvent('runtime.c-missing-header', Category.fileNotFound, (e) =>
  e.data?.header
    ? [
        advice(
          `Install the development package that provides ${e.data.header} (e.g. \`apt-file search ${e.data.header}\`) or add its folder with -I`,
          `The compiler cannot find the header ${e.data.header}.`,
          0.5,
          e,
        ),
      ]
    : [],
);

const linkError = eachEvent('runtime.link-error', Category.linkError, (e) => [
  advice(
    `Define \`${e.data?.symbol ?? 'the symbol'}\` or link the library or object that provides it`,
    'The linker found no definition of a symbol the program uses.',
    0.5,
    e,
  ),
]);

export const runtimeRules: Rule[] = [
  portInUse,
  outOfMemory,
  inotify,
  dockerDaemon,
  dockerImage,
  connectionRefused,
  eslintFix,
  tscDidYouMean,
  strictNull,
  pytestFixture,
  pythonIndentation,
  missingHeader,
  linkError,
  testFailure,
];
