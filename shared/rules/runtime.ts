// Failures of running programs and tools: ports, memory, watchers, daemons, lint, types, tests.
import { Category } from '../detect/categories';
import { closeMatches } from '../corrections/similarity';
import { advice, replace, runFirst, type Proposal, type Rule } from './rule';

const eachEvent = (id: string, category: string, make: (e: import('../detect/detector').ErrorEvent, input: import('./rule').RuleInput) => Proposal[]): Rule => ({
  id,
  propose: (input) => input.events.filter((e) => e.category === category).flatMap((e) => make(e, input)),
});

const portInUse = eachEvent('runtime.port-in-use', Category.portInUse, (e, input) => {
  const port = e.data?.port;
  const out: Proposal[] = [advice(port ? `Find what holds port ${port}: \`lsof -i :${port}\` (or \`fuser ${port}/tcp\`), then stop it or use another port` : 'Another process holds the port; stop it or use another port', `Port ${port ?? ''} is already in use by another process.`, 0.6, e)];
  if (port && input.command && !/\bPORT=/.test(input.command)) out.push({ ...replace(`PORT=${Number(port) + 1} ${input.command}`, `Runs on port ${Number(port) + 1} instead, for programs that read PORT.`, 0.5), event: e });
  return out;
});

const outOfMemory = eachEvent('runtime.node-heap', Category.outOfMemory, (e, input) =>
  e.tool === 'node' && input.command ? [{ ...replace(`NODE_OPTIONS=--max-old-space-size=4096 ${input.command.replace(/^NODE_OPTIONS=\S+ /, '')}`, "Node ran out of heap; this raises V8's heap limit to 4 GB for the command.", 0.75), event: e }] : [advice('The program ran out of memory; reduce the input or raise its memory limit', 'The process exhausted its memory.', 0.4, e)],
);

const inotify = eachEvent('runtime.inotify-watchers', Category.noSpace, (e) =>
  e.data?.kind === 'inotify'
    ? [runFirst('sudo sysctl fs.inotify.max_user_watches=524288', 'The system limit on file watchers is reached; raising it lets watchers start (persist it in /etc/sysctl.d/).', 0.7, e)]
    : [advice('Free disk space (`df -h` shows which filesystem is full)', 'The disk is full.', 0.5, e)],
);

const dockerDaemon = eachEvent('runtime.docker-daemon', Category.dockerDaemonDown, (e, input) => [
  input.env.platform === 'linux' ? runFirst('sudo systemctl start docker', 'The Docker daemon is not running.', 0.7, e) : advice('Start Docker Desktop', 'The Docker daemon is not running.', 0.7, e),
]);

const dockerImage = eachEvent('runtime.docker-image', Category.dockerImageNotFound, (e) => [advice(`Check the image name and tag \`${e.data?.image ?? ''}\` (and \`docker login\` for private registries)`, 'The registry has no such image or tag, or needs credentials.', 0.5, e)]);

const connectionRefused = eachEvent('runtime.connection-refused', Category.connectionRefused, (e) => [advice(`Start the service expected on ${e.data?.host ?? 'localhost'}:${e.data?.port ?? ''} or fix the address`, 'Nothing is listening at that address.', 0.5, e)]);

const eslintFix: Rule = {
  id: 'runtime.eslint-fix',
  tools: ['eslint'],
  propose(input) {
    const files = [...new Set(input.events.filter((e) => e.tool === 'eslint' && e.data?.fixableInRun && e.file).map((e) => e.file!))];
    return files.map((f) => runFirst(`npx eslint --fix ${f}`, 'ESLint reported problems it can fix itself.', 0.8, input.events.find((e) => e.file === f)));
  },
};

const tscDidYouMean: Rule = {
  id: 'runtime.tsc-did-you-mean',
  tools: ['tsc'],
  propose(input) {
    return input.events
      .filter((e) => e.data?.suggestion && e.data.name && e.file && e.line)
      .map((e) => ({
        kind: 'edit' as const,
        edits: [{ file: e.file!, range: { start: { line: e.line! - 1, character: e.column! - 1 }, end: { line: e.line! - 1, character: e.column! - 1 + e.data!.name.length } }, newText: e.data!.suggestion }],
        description: `Replace \`${e.data!.name}\` with \`${e.data!.suggestion}\``,
        why: `There is no \`${e.data!.name}\`; the compiler points at \`${e.data!.suggestion}\`.`,
        confidence: 0.85,
        event: e,
      }));
  },
};

const strictNull: Rule = {
  id: 'runtime.tsc-possibly-null',
  tools: ['tsc'],
  propose(input) {
    return input.events
      .filter((e) => e.category === Category.possiblyNull || e.category === Category.possiblyUndefined)
      .map((e) => advice('Check the value before use (`if (x)`/`?.`/`??`) or fix the type that allows null', 'Under strictNullChecks the value may be null or undefined here.', 0.5, e));
  },
};

const pytestFixture = eachEvent('runtime.pytest-fixture', Category.fixtureNotFound, (e, input) => {
  const available = /available fixtures: ([^\n]+)/.exec(input.output)?.[1].split(/,\s*/) ?? [];
  const close = e.data?.fixture ? closeMatches(e.data.fixture, available, 1, 0.6)[0] : undefined;
  return [advice(close ? `Did you mean the fixture \`${close}\`? Otherwise define \`${e.data?.fixture}\` in conftest.py` : `Define the fixture \`${e.data?.fixture}\` in conftest.py (or install the plugin that provides it)`, 'pytest found no fixture by that name.', close ? 0.7 : 0.55, e)];
});

const pythonIndentation = eachEvent('runtime.python-indentation', Category.indentation, (e) => [advice(`Fix the indentation at ${e.file ?? 'the file'}:${e.line ?? ''} (use 4 spaces; do not mix tabs and spaces)`, 'Python found a block with wrong indentation.', 0.6, e)]);

const testFailure: Rule = {
  id: 'runtime.test-failure',
  propose(input) {
    return input.events
      .filter((e) => e.category === Category.testFailure)
      .slice(0, 20)
      .map((e) => advice(`Fix the assertion at ${e.file ?? '?'}${e.line ? `:${e.line}` : ''}, or re-run only this test to check whether it is flaky`, `The test ${e.data?.test ?? ''} failed.`, 0.3, e));
  },
};

const missingHeader = eachEvent('runtime.c-missing-header', Category.fileNotFound, (e) =>
  e.data?.header ? [advice(`Install the development package that provides ${e.data.header} (e.g. \`apt-file search ${e.data.header}\`) or add its folder with -I`, `The compiler cannot find the header ${e.data.header}.`, 0.5, e)] : [],
);

const linkError = eachEvent('runtime.link-error', Category.linkError, (e) => [advice(`Define \`${e.data?.symbol ?? 'the symbol'}\` or link the library or object that provides it`, 'The linker found no definition of a symbol the program uses.', 0.5, e)]);

export const runtimeRules: Rule[] = [portInUse, outOfMemory, inotify, dockerDaemon, dockerImage, connectionRefused, eslintFix, tscDidYouMean, strictNull, pytestFixture, pythonIndentation, missingHeader, linkError, testFailure];
