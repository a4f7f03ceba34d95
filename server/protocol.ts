// Custom messages between the client and the language server, defined once for both sides.
import { NotificationType } from 'vscode-languageserver-protocol';
import type { OutputRecord } from '../shared/capture';

export namespace OutputNotification {
  export const method = 'heal/output' as const;
  export const type = new NotificationType<OutputRecord>(method);
}
