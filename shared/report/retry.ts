// Retries with exponential backoff and full jitter, inside a time budget (interactive use must not wait long).

export class PermanentError extends Error {
  override name = 'PermanentError';
}

export interface RetryOptions {
  /** Total time the retries may take, sleeping included. */
  budgetMs: number;
  baseMs?: number;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/** Runs `attempt` until it succeeds, fails permanently, or the next wait would overrun the budget. */
export async function withRetry<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const base = options.baseMs ?? 100;
  const started = now();
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (e instanceof PermanentError || i + 1 >= (options.maxAttempts ?? 6)) throw e;
      const wait = Math.round(random() * base * 2 ** i);
      if (now() - started + wait > options.budgetMs) throw e;
      await sleep(wait);
    }
  }
}
