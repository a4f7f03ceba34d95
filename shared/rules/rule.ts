// Built-in knowledge: a rule looks at a failed command (and what was detected in its output) and proposes fixes.
import type { ErrorEvent } from '../detect/detector';
import type { FixKind, TextEdit } from '../fix';
import type { CommandLine } from '../corrections/commandLine';

/** What a rule may ask about the machine (injected, so tests and the eval are deterministic). */
export interface RuleEnvironment {
  /** Executable names on PATH (memoised by the caller). */
  executables(): ReadonlySet<string>;
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Names of the folders inside `path` (relative to the working directory; '' is the working directory). */
  listDirectories(path: string): string[];
  /** `scripts` of the nearest package.json, when there is one. */
  packageScripts(): string[] | undefined;
  platform: NodeJS.Platform;
  /** Running as root (then installing system packages needs no sudo); undefined = unknown, assume not. */
  isRoot?: boolean;
  /** A file's text (relative to the working directory), when it can be read. */
  readFile?(path: string): string | undefined;
}

export interface RuleInput {
  /** The failed command line as typed ('' when unknown, e.g. a scanned log). */
  command: string;
  line: CommandLine;
  /** The program name (`git`, `npm`, …) without path or sudo. */
  program: string;
  output: string;
  events: ErrorEvent[];
  exitCode?: number;
  cwd?: string;
  env: RuleEnvironment;
}

export interface Proposal {
  kind: FixKind;
  /** kind `replace`: the corrected command line; kind `command`: a command to run before re-running. */
  command?: string;
  edits?: TextEdit[];
  description: string;
  why: string;
  /** 0..1 before ranking adjustments. */
  confidence: number;
  /** The event this proposal addresses (its fingerprint is attached to the suggestion). */
  event?: ErrorEvent;
}

export interface Rule {
  id: string;
  /** Only events of these tools are offered; undefined = any. */
  tools?: string[];
  /** Cheap check on the program name; undefined = any program. */
  programs?: string[];
  propose(input: RuleInput): Proposal[];
}

export const replace = (command: string, why: string, confidence = 0.8): Proposal => ({
  kind: 'replace',
  command,
  description: `Run \`${command}\` instead`,
  why,
  confidence,
});
export const runFirst = (command: string, why: string, confidence = 0.7, event?: ErrorEvent): Proposal => ({
  kind: 'command',
  command,
  description: `Run \`${command}\``,
  why,
  confidence,
  event,
});
export const advice = (description: string, why: string, confidence = 0.5, event?: ErrorEvent): Proposal => ({
  kind: 'advice',
  description,
  why,
  confidence,
  event,
});
