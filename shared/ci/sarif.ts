// SARIF 2.1.0 log of detected failures, for code-scanning uploads.
import * as path from 'node:path';
import type { ArtifactLocation, Log, Result } from 'sarif';
import type { ErrorEvent } from '../detect/detector';

/** The base id of files under the working directory (the checkout, in CI), as GitHub code scanning expects. */
export const SRCROOT = '%SRCROOT%';

const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|\\\\)/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]+:\/\//;

/** Percent-encodes each segment of a `/`-separated path (spaces, `#`, `?`, `%`, `:`, non-ASCII …). */
const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

/** An absolute file path as a `file:` URI: `file:///home/a%20b/x.ts`, `file:///C:/src/x.ts`, `file://server/share/x.ts`. */
export function fileUri(absolute: string): string {
  if (absolute.startsWith('\\\\')) return `file://${encodePath(absolute.slice(2).replace(/\\/g, '/'))}`;
  const drive = /^([A-Za-z]:)[\\/]/.exec(absolute);
  if (drive) return `file:///${drive[1]}/${encodePath(absolute.slice(3).replace(/\\/g, '/'))}`;
  return `file://${encodePath(absolute)}`;
}

/**
 * Where a failure's file is, as SARIF wants it: relative to the working directory (`uriBaseId: %SRCROOT%`) when it is
 * inside it, so code scanning maps it onto the repository; otherwise an absolute `file:` URI. Always percent-encoded.
 */
export function artifactLocation(file: string, root: string): ArtifactLocation {
  if (URI.test(file)) return { uri: file };
  const windowsRoot = WINDOWS_ABSOLUTE.test(root);
  // A Windows path in the output of a command run on a POSIX machine cannot be under the root.
  if (!windowsRoot && WINDOWS_ABSOLUTE.test(file)) return { uri: fileUri(file) };
  const p = windowsRoot ? path.win32 : path.posix;
  const absolute = p.resolve(root, windowsRoot ? file : file.replace(/\\/g, '/'));
  const relative = p.relative(root, absolute);
  const outside = relative === '' || relative === '..' || relative.startsWith(`..${p.sep}`) || p.isAbsolute(relative);
  if (outside) return { uri: fileUri(absolute) };
  return { uri: encodePath(relative.split(p.sep).join('/')), uriBaseId: SRCROOT };
}

export interface SarifOptions {
  /** The working directory the command ran in, the root of relative URIs (default: this process's). */
  root?: string;
}

export function sarifLog(
  events: ErrorEvent[],
  version: string,
  suggestions = new Map<string, string>(),
  options: SarifOptions = {},
): Log {
  const given = options.root ?? process.cwd();
  const root = WINDOWS_ABSOLUTE.test(given) ? given : path.resolve(given);
  const rules = new Map<string, { id: string; shortDescription: { text: string } }>();
  const results: Result[] = events.map((e) => {
    const ruleId = `${e.tool}/${e.category}`;
    if (!rules.has(ruleId)) rules.set(ruleId, { id: ruleId, shortDescription: { text: `${e.tool}: ${e.category}` } });
    const fix = suggestions.get(e.fingerprint);
    return {
      ruleId,
      level: e.severity === 'error' ? 'error' : e.severity === 'warning' ? 'warning' : 'note',
      message: { text: fix ? `${e.message}\nSuggested fix: ${fix}` : e.message },
      ...(e.file
        ? {
            locations: [
              {
                physicalLocation: {
                  artifactLocation: artifactLocation(e.file, root),
                  ...(e.line ? { region: { startLine: e.line, ...(e.column ? { startColumn: e.column } : {}) } } : {}),
                },
              },
            ],
          }
        : {}),
      partialFingerprints: { healFingerprint: e.fingerprint, healCoarseFingerprint: e.coarseFingerprint },
    };
  });
  const rootUri = fileUri(root);
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'heal',
            version,
            informationUri: 'https://github.com/heal-dev/heal',
            rules: [...rules.values()],
          },
        },
        // SARIF: the base URI of a uriBaseId ends with a slash.
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri.endsWith('/') ? rootUri : `${rootUri}/` } },
        results,
      },
    ],
  };
}
