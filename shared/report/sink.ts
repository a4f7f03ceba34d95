// Where reports go: an HTTPS endpoint (POST the report; GET <endpoint>/<id> answers its status). Plain HTTP is
// allowed only to this machine (tests, local relays).
import { PermanentError } from './retry';

export type ReportStatus = 'open' | 'resolved';

export interface ReportSink {
  /**
   * Sends the exact bytes; resolves when accepted (or already accepted: same idempotency key). `signal` aborts the
   * attempt when the caller's time is up (callers also stop waiting then, so a sink may ignore it).
   */
  send(body: string, idempotencyKey: string, signal?: AbortSignal): Promise<void>;
  status(id: string, signal?: AbortSignal): Promise<{ status: ReportStatus; note?: string } | undefined>;
  readonly describe: string;
}

/** Each request's own limit; the caller's signal (the time left in its budget) usually ends it sooner. */
export function httpSink(endpoint: string, timeoutMs = 1500): ReportSink {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new PermanentError(`the report endpoint "${endpoint}" is not a URL`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new PermanentError(`the report endpoint must use https (${url.host})`);
  const base = url.toString().replace(/\/$/, '');
  const limit = (signal?: AbortSignal) =>
    signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  return {
    describe: url.host,
    async send(body, idempotencyKey, signal) {
      let res: Response;
      try {
        res = await fetch(base, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          signal: limit(signal),
        });
      } catch (e) {
        throw new Error(`${url.host} unreachable: ${(e as Error).message}`);
      }
      if (res.ok || res.status === 409) return;
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
        throw new PermanentError(`${url.host} refused the report (HTTP ${res.status})`);
      throw new Error(`${url.host} answered HTTP ${res.status}`);
    },
    async status(id, signal) {
      const res = await fetch(`${base}/${encodeURIComponent(id)}`, { signal: limit(signal) }).catch(() => undefined);
      if (!res?.ok) return undefined;
      const body = (await res.json().catch(() => undefined)) as { status?: string; note?: string } | undefined;
      return body?.status === 'resolved' || body?.status === 'open'
        ? { status: body.status, note: body.note }
        : undefined;
    },
  };
}
