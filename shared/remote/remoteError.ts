// What went wrong talking to the shared memory, and what the user should check. Never carries a key or token.

export type RemoteErrorKind =
  /** Not configured completely (URL, key, project). */
  | 'config'
  /** No connection (DNS, refused, reset) or the service is down (HTTP 502/503/504). */
  | 'unreachable'
  | 'timeout'
  /** The token was refused (bad signature, expired, wrong project key). */
  | 'auth'
  /** Row-level security or grants said no: the user is not a member of the project. */
  | 'denied'
  /** The request itself was refused (bad value, constraint): retrying the same request cannot help. */
  | 'rejected'
  /** The daily limit of remote calls is reached; only essential work goes on. */
  | 'limit'
  | 'server';

const HINTS: Record<RemoteErrorKind, string> = {
  config:
    'set remote.url, remote.anonKey and remote.project (heal config set …) or SUPABASE_URL, SUPABASE_ANON_KEY and HEAL_PROJECT',
  unreachable: 'check remote.url (SUPABASE_URL) and your network',
  timeout: 'check your network; the service did not answer in time',
  auth: 'check remote.anonKey (SUPABASE_ANON_KEY) and your access token (remote.accessToken, HEAL_REMOTE_TOKEN): it may be wrong or expired',
  denied:
    'check that your account is a member of the project named by remote.project (HEAL_PROJECT): row-level security refused the request',
  rejected: 'the shared memory refused this request; it will not be retried',
  limit: 'raise it with heal config set cost.dailyLimit <calls>, or wait until tomorrow',
  server: 'the service failed; try again later',
};

export class RemoteError extends Error {
  override name = 'RemoteError';
  constructor(
    readonly kind: RemoteErrorKind,
    what: string,
    /** The service's own error code (PostgREST or SQLSTATE), when it gave one. */
    readonly code?: string,
  ) {
    super(`${what} — ${HINTS[kind]}`);
  }

  /** Whether the same request may succeed later (then it is queued, not dropped). */
  get transient(): boolean {
    return (
      this.kind === 'unreachable' ||
      this.kind === 'timeout' ||
      this.kind === 'server' ||
      this.kind === 'auth' ||
      this.kind === 'denied' ||
      this.kind === 'limit'
    );
  }
}

interface PostgrestFailure {
  message: string;
  code?: string;
  details?: string;
  hint?: string;
}

/** Classifies a supabase-js result error (or a thrown error) for `host`. */
export function classifyRemoteFailure(
  host: string,
  operation: string,
  status: number,
  error: PostgrestFailure | Error,
): RemoteError {
  const code = 'code' in error && typeof error.code === 'string' && error.code ? error.code : undefined;
  const message = String(error.message ?? '').slice(0, 300);
  const what = `The shared memory at ${host} failed to ${operation}`;
  if (
    /abort|timeout/i.test(message) ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
  )
    return new RemoteError('timeout', `${what}: no answer in time`, code);
  if (status === 0 || /fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|socket hang up|network/i.test(message))
    return new RemoteError('unreachable', `${what}: unreachable (${message || 'no response'})`, code);
  if (status === 401 && code === '42501')
    return new RemoteError('auth', `${what}: the request carried no valid user token (HTTP 401)`, code);
  if (status === 401 || code?.startsWith('PGRST3'))
    return new RemoteError('auth', `${what}: the token was refused (HTTP ${status}${code ? ` ${code}` : ''})`, code);
  if (status === 403 || code === '42501')
    return new RemoteError('denied', `${what}: permission denied (HTTP ${status})`, code);
  if (status === 502 || status === 503 || status === 504 || status === 520)
    return new RemoteError('unreachable', `${what}: the service is unavailable (HTTP ${status})`, code);
  if (status >= 500)
    return new RemoteError('server', `${what}: HTTP ${status}${code ? ` ${code}` : ''} ${message}`, code);
  return new RemoteError('rejected', `${what}: HTTP ${status}${code ? ` ${code}` : ''} ${message}`, code);
}
