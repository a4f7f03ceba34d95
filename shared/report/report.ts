// Diagnostic reports: what Heal could not heal, built per consent level from scrubbed data only. The bytes
// previewed are the bytes sent: one function serialises both.
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { scrubOutgoing } from '../scrub';
import type { ConsentLevel, Contact } from './consent';

export const failureKinds = ['detection', 'validation', 'apply', 'verify', 'timeout', 'crash'] as const;
export type FailureKind = (typeof failureKinds)[number];

export interface DiagnosticReport {
  id: string;
  timestamp: string;
  consent: ConsentLevel;
  versions: { heal: string; node: string };
  failure: { kind: FailureKind; tool: string; category: string; fingerprint: string; message?: string };
  /** Standard and full only. */
  command?: string;
  /** Full only. */
  platform?: string;
  shell?: string;
  remote?: string;
  outputExcerpt?: string;
  contact: Contact;
}

export interface ReportInput {
  heal: string;
  failure: { kind: FailureKind; tool: string; category: string; fingerprint: string; message: string };
  commandLine?: string;
  output?: string;
  remote?: string;
  env?: NodeJS.ProcessEnv;
}

const EXCERPT_LINES = 40;

export function buildReport(
  input: ReportInput,
  consent: ConsentLevel,
  contact: Contact,
  now = new Date(),
): DiagnosticReport {
  const { kind, tool, category, fingerprint, message } = input.failure;
  const report: DiagnosticReport = {
    id: randomUUID(),
    timestamp: now.toISOString(),
    consent,
    versions: { heal: input.heal, node: process.version },
    failure: { kind, tool, category, fingerprint },
    contact,
  };
  if (consent === 'minimal') return report;
  report.failure.message = scrubOutgoing(message);
  // The command's name only: its arguments may name private things.
  if (input.commandLine) report.command = path.basename(input.commandLine.trim().split(/\s+/)[0] ?? '');
  if (consent === 'standard') return report;
  const env = input.env ?? process.env;
  report.platform = `${os.type()} ${os.release()} ${process.arch}`;
  report.shell = env.SHELL ? path.basename(env.SHELL) : undefined;
  report.remote = input.remote ? 'supabase' : 'embedded';
  if (input.output) report.outputExcerpt = scrubOutgoing(input.output.split('\n').slice(-EXCERPT_LINES).join('\n'));
  return report;
}

/** The exact bytes sent for a report (and shown by the preview). */
export function serializeReport(report: DiagnosticReport): string {
  return JSON.stringify(report, null, 2);
}
