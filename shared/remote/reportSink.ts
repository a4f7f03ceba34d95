// Diagnostic reports into the shared memory's diagnostic_reports table (insert-only for the reporter); their
// status is read from report_status, which the maintainers update.
import { PermanentError } from '../report/retry';
import type { ReportSink } from '../report/sink';
import { RemoteError } from './remoteError';
import type { RemoteStore } from './remoteStore';

export function remoteReportSink(remote: RemoteStore): ReportSink {
  return {
    describe: `${remote.host} (diagnostic_reports)`,
    async send(body, idempotencyKey) {
      try {
        await remote.insertReport(idempotencyKey, body);
      } catch (e) {
        if (e instanceof RemoteError && !e.transient) throw new PermanentError(e.message);
        throw e;
      }
    },
    status: (id) => remote.reportStatus(id).catch(() => undefined),
  };
}
