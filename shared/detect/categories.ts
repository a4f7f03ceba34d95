// The category vocabulary detectors report and rules match on. Detectors may add tool-specific ones
// (e.g. `TS2769`), but a failure of one of these kinds must use the shared name and `data` keys.

export const Category = {
  moduleNotFound: 'module-not-found', // data.module (import/require name), data.package when known
  missingTypes: 'missing-types', // data.module
  nameNotFound: 'name-not-found', // data.name
  propertyNotFound: 'property-not-found', // data.name
  typeMismatch: 'type-mismatch',
  possiblyNull: 'possibly-null',
  possiblyUndefined: 'possibly-undefined',
  syntax: 'syntax',
  indentation: 'indentation',
  lint: 'lint', // data.rule, data.fixable = 'true' when the tool says it can fix it
  testFailure: 'test-failure', // data.test, data.suite
  testError: 'test-error', // a test that could not run (setup failed); data.test
  fixtureNotFound: 'fixture-not-found', // data.fixture
  exception: 'exception', // data.exception (type name)
  commandNotFound: 'command-not-found', // data.command
  permissionDenied: 'permission-denied', // data.path
  badInterpreter: 'bad-interpreter', // data.path (the script), data.interpreter when the shell names it, data.crlf = 'true' for a `#!…\r` line
  portInUse: 'port-in-use', // data.port
  noSpace: 'no-space', // data.kind = 'inotify' | 'disk'
  fileNotFound: 'file-not-found', // data.path
  missingScript: 'missing-script', // data.script
  installFailed: 'install-failed', // data.code, data.lockfile = 'outdated', data.offline = 'true'
  peerDependency: 'peer-dependency', // data.package (the dependent), data.peer (name@range wanted), data.found
  packageNotFound: 'package-not-found', // data.package (registry 404 / no matching distribution)
  compileError: 'compile-error', // data.code (E0425, …)
  linkError: 'link-error', // data.symbol
  unknownOption: 'unknown-option', // data.option
  unknownSubcommand: 'unknown-subcommand', // data.command, data.subcommand, data.suggestion (tool's own "did you mean")
  outOfMemory: 'out-of-memory',
  connectionRefused: 'connection-refused', // data.host, data.port
  gitNoUpstream: 'git-no-upstream', // data.branch, data.suggestion (git's own command)
  gitNonFastForward: 'git-non-fast-forward',
  gitMergeConflict: 'git-merge-conflict', // data.path
  gitDetachedHead: 'git-detached-head',
  gitNotARepo: 'git-not-a-repo',
  dockerDaemonDown: 'docker-daemon-down',
  dockerImageNotFound: 'docker-image-not-found', // data.image
  timeout: 'timeout',
  generic: 'error',
} as const;

export type KnownCategory = (typeof Category)[keyof typeof Category];
