// Retries with exponential backoff and full jitter, inside a time budget (interactive use must not wait long).
// The budget covers the attempts as well as the waits: each attempt gets a signal that aborts when the time left
// runs out, and an attempt that ignores it is abandoned then.

export class PermanentError extends Error {
  override name = 'PermanentError';
}

/** What the network part of an interactive report may take (`heal report`, the editor's Send), end to end. */
export const INTERACTIVE_BUDGET_MS = 1600;

/** An attempt is not started (and a wait not taken) when less than this would be left for it. */
const MIN_ATTEMPT_MS = 50;

export interface RetryOptions {
  /** Total time the attempts and the waits between them may take. */
  budgetMs: number;
  baseMs?: number;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** A signal that aborts after `ms` (default AbortSignal.timeout); tests with a fake clock pass their own. */
  timeout?: (ms: number) => AbortSignal;
  /** Aborts everything from outside (an editor request cancelled, a process shutting down). */
  signal?: AbortSignal;
}

export class BudgetExceeded extends Error {
  override name = 'BudgetExceeded';
}

/**
 * Settles like `work`, or rejects when `signal` aborts first (the work is then abandoned: whatever it still does
 * must be harmless, e.g. a send with an idempotency key).
 */
export function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal,
  what = 'no answer in the time left',
): Promise<T> {
  const aborted = () => new BudgetExceeded(what);
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(aborted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** A deadline shared by several steps (filing, then flushing the queue): the signal for the time left. */
export class Deadline {
  readonly at: number;
  constructor(
    budgetMs: number,
    private readonly now: () => number = Date.now,
    private readonly timeout: (ms: number) => AbortSignal = (ms) => AbortSignal.timeout(ms),
  ) {
    this.at = now() + budgetMs;
  }

  get leftMs(): number {
    return Math.max(0, this.at - this.now());
  }

  /** Whether a step of at least `ms` still fits. */
  allows(ms = MIN_ATTEMPT_MS): boolean {
    return this.leftMs >= ms;
  }

  /** A signal that aborts when the time left runs out (combined with `outer`, when given). */
  signal(outer?: AbortSignal): AbortSignal {
    const own = this.timeout(Math.max(1, this.leftMs));
    return outer ? AbortSignal.any([own, outer]) : own;
  }
}

/** Runs `attempt` until it succeeds, fails permanently, or the time left would not allow another attempt. */
export async function withRetry<T>(attempt: (signal: AbortSignal) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const base = options.baseMs ?? 100;
  const deadline = new Deadline(options.budgetMs, options.now, options.timeout);
  for (let i = 0; ; i++) {
    if (options.signal?.aborted) throw new BudgetExceeded('cancelled');
    const signal = deadline.signal(options.signal);
    try {
      return await untilAborted(attempt(signal), signal, `no answer within the ${options.budgetMs} ms budget`);
    } catch (e) {
      if (e instanceof PermanentError || i + 1 >= (options.maxAttempts ?? 6)) throw e;
      const wait = Math.round(random() * base * 2 ** i);
      if (!deadline.allows(wait + MIN_ATTEMPT_MS)) throw e;
      await sleep(wait);
    }
  }
}
