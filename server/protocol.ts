// Custom messages between the client and the language server, defined once for both sides.
import { NotificationType, NotificationType0, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { OutputRecord } from '../shared/capture';

/** Settings the client sends at start and on change. */
export interface HealSettings {
  enabled: boolean;
  autoApply: 'off' | 'safe';
  verifyTimeoutSeconds: number;
  trusted: boolean;
}

export interface InitializationOptions {
  storeDir: string;
  settings: HealSettings;
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
  export const type = new RequestType0<IssueItem[], void>(method);
}

export namespace IgnoreRequest {
  export const method = 'heal/ignore' as const;
  export const type = new RequestType<{ fingerprint: string }, boolean, void>(method);
}

export namespace ExplainRequest {
  export const method = 'heal/explain' as const;
  export const type = new RequestType<{ fingerprint: string }, string, void>(method);
}

/** Commands the server executes (listed in its capabilities; the client does not register them again). */
export const ApplyFixCommand = 'heal.server.applyFix';
