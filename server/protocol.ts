// Custom messages between the client and the language server, defined once for both sides.
import { NotificationType, NotificationType0, RequestType } from 'vscode-languageserver-protocol';
import type { OutputRecord } from '../shared/capture';
import type { CheckResult } from '../shared/doctor/doctor';
import type { Metrics } from '../shared/metrics/metrics';

/** Settings the client sends at start and on change. */
export interface HealSettings {
  enabled: boolean;
  /** Workspace folders of the window; relative paths in output resolve against the one the command ran in. */
  folders?: string[];
  autoApply: 'off' | 'safe';
  verifyTimeoutSeconds: number;
  trusted: boolean;
  /** Shared memory URL (`heal.remote.url`); its key comes from SecretStorage, never from settings. */
  remoteUrl?: string;
  remoteKey?: string;
  /** `heal.remote.project`: the team whose memory is shared. */
  remoteProject?: string;
  /** The user's access token for the shared memory (SecretStorage). */
  remoteToken?: string;
  /** The integrated terminal's PATH when it differs from the editor's: fixes and re-runs use it. */
  terminalPath?: string;
}

export interface InitializationOptions {
  storeDir: string;
  settings: HealSettings;
  /** The extension's version, for Doctor. */
  version?: string;
}

/** One sighting of an issue in captured output this session (older ones live only as timestamps). */
export interface Occurrence {
  at: string;
  commandLine: string | null;
  /** The captured output, as a `heal-output:` document, and the 0-based line of the error in it. */
  output: { uri: string; line: number } | null;
}

export interface IssueItem {
  fingerprint: string;
  tool: string;
  category: string;
  message: string;
  count: number;
  lastSeen: string;
  file: string | null;
  line: number | null;
  quarantined: boolean;
  /** Passes and fails without a change (see shared flakiness): never auto-fixed. */
  flaky?: boolean;
  /** Where the failing command ran, when known: the tree filters by workspace folder with it. */
  cwd: string | null;
  /** The issue this one follows from, when it is part of a cascade. */
  causedBy: string | null;
  occurrences: Occurrence[];
  topFix: { id: string; description: string; safety: string } | null;
}

export interface ApplyResultMessage {
  ok: boolean;
  message: string;
}

export namespace OutputNotification {
  export const method = 'heal/output' as const;
  export const type = new NotificationType<OutputRecord>(method);
}

/** Like OutputNotification, answered once handled with a summary: failures by root cause, each with its fix. */
export namespace OutputSummaryRequest {
  export const method = 'heal/outputSummary' as const;
  export const type = new RequestType<OutputRecord, string[], void>(method);
}

export namespace SettingsNotification {
  export const method = 'heal/settings' as const;
  export const type = new NotificationType<HealSettings>(method);
}

export namespace IssuesChangedNotification {
  export const method = 'heal/issuesChanged' as const;
  export const type = new NotificationType0(method);
}

export namespace IssuesRequest {
  export const method = 'heal/issues' as const;
  /** `folders`: only issues whose command ran (or whose file lies) inside one of them; all when absent. */
  export const type = new RequestType<{ folders?: string[] }, IssueItem[], void>(method);
}

/** The circuit breaker, for the status bar: `open` means Heal applies no fixes until `reopensAt` (epoch ms). */
export namespace BreakerRequest {
  export const method = 'heal/breaker' as const;
  export const type = new RequestType<
    Record<string, never>,
    { state: 'closed' | 'open' | 'halfOpen'; reopensAt?: number },
    void
  >(method);
}

export namespace MetricsRequest {
  export const method = 'heal/metrics' as const;
  export const type = new RequestType<{ days: number }, Metrics, void>(method);
}

/** Learn from the logs already in these folders (see shared/backfill); answers what was found. */
export namespace BackfillRequest {
  export const method = 'heal/backfill' as const;
  export const type = new RequestType<{ folders: string[] }, { files: number; bytes: number; events: number }, void>(
    method,
  );
}

/** A report about the last failure: `send: false` answers the exact bytes that would be sent (the preview). */
export namespace ReportRequest {
  export const method = 'heal/report' as const;
  export const type = new RequestType<
    { consent: 'minimal' | 'standard' | 'full'; contact: string; endpoint?: string; send: boolean },
    { ok: boolean; body?: string; result?: 'sent' | 'queued'; message: string },
    void
  >(method);
}

/** Reports the user filed that are now resolved and not yet announced (local cache; marks them announced). */
export namespace ResolvedReportsRequest {
  export const method = 'heal/resolvedReports' as const;
  export const type = new RequestType<Record<string, never>, Array<{ summary: string; note?: string }>, void>(method);
}

export namespace UnquarantineRequest {
  export const method = 'heal/unquarantine' as const;
  export const type = new RequestType<{ fingerprint: string }, boolean, void>(method);
}

/** Text of a `heal-output:` document (captured output) or `heal-explain:` document (an issue explained). */
export namespace VirtualDocumentRequest {
  export const method = 'heal/virtualDocument' as const;
  export const type = new RequestType<{ uri: string }, string | null, void>(method);
}

/** Doctor's local checks, or (`remote: true`) the remote check alone, which has its own timeout. */
export namespace DoctorRequest {
  export const method = 'heal/doctor' as const;
  export const type = new RequestType<{ remote: boolean }, CheckResult[], void>(method);
}

export namespace IgnoreRequest {
  export const method = 'heal/ignore' as const;
  export const type = new RequestType<{ fingerprint: string }, boolean, void>(method);
}

/** Commands the server executes (listed in its capabilities; the client does not register them again). */
export const ApplyFixCommand = 'heal.server.applyFix';
/** Runs after the editor applied a quick fix's edits: back up, verify by re-running, revert if it did not help. */
export const VerifyEditCommand = 'heal.server.verifyEdit';

/** Server → client: save these documents (a quick fix's edits) so that re-running the command sees them. */
export namespace SaveDocumentsRequest {
  export const method = 'heal/saveDocuments' as const;
  export const type = new RequestType<{ uris: string[] }, boolean, void>(method);
}
