// The team's shared memory on Supabase, through unmodified supabase-js: a pattern source (tiers 1 and 2) and
// the atomic writes (RPCs) that record occurrences and outcomes. Hot-path calls are never retried blindly:
// after one connection failure the rest of the session uses the local store only.
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Fix } from '../fix';
import type { PatternSource, SimilarPattern } from '../lookup/patternSource';
import { jaccard, shingles, toolFamily } from '../lookup/similar';
import type { Pattern } from '../store/schema';
import { isEssential, type CallKind, type CostMeter } from './costMeter';
import { parsePatternRow } from './patternRow';
import { clientLibraries } from './clientLibraries';
import { classifyRemoteFailure, RemoteError } from './remoteError';
import { safeHost, type RemoteSettings } from './settings';

/** Trigram similarity that makes a candidate for tier 2; candidates are then scored as local ones are. */
const TRIGRAM_CANDIDATE_THRESHOLD = 0.3;

export interface OccurrenceUpload {
  /** Idempotency key: the same upload replayed is counted once. */
  key: string;
  fingerprint: string;
  coarseFingerprint: string;
  tool: string;
  category: string;
  /** Normalised and scrubbed. */
  message: string;
  example?: string;
  count: number;
  seenAt: string;
}

export interface OutcomeUpload {
  key: string;
  fingerprint: string;
  /** Portable and scrubbed (see portableFix). */
  fix: Fix;
  outcome: 'verified' | 'reverted' | 'failed';
  durationMs?: number;
}

export interface CauseUpload {
  cause: string;
  effect: string;
  count: number;
}

const breakerSchema = z.object({
  state: z.enum(['closed', 'open', 'half_open']),
  reverts: z.coerce.number(),
  reopens_at: z.string().nullable(),
  daily_cost_limit: z.coerce.number(),
});
export interface RemoteBreaker {
  state: 'closed' | 'open' | 'halfOpen';
  recentReverts: number;
  reopensAt?: number;
  dailyCostLimit: number;
}

interface Result {
  data: unknown;
  error: { message: string; code?: string } | null;
  status: number;
}
type Query = PromiseLike<Result> & { retry?: (enabled: boolean) => unknown };

export interface CallOptions {
  /** Work that waits (cache warming, backfill): stopped by the daily limit. */
  background?: boolean;
}

export class RemoteStore implements PatternSource {
  readonly name = 'remote';
  readonly host: string;
  /** The first failure of this session, for a one-line warning. */
  lastError: RemoteError | undefined;
  private down = false;
  private readonly exactMemo = new Map<string, Promise<Pattern | undefined>>();

  constructor(
    private readonly client: SupabaseClient,
    readonly settings: RemoteSettings,
    readonly meter: CostMeter,
    /** Patterns pulled by cache warming: exact hits served without the network. */
    private readonly cached: () => Promise<Record<string, Pattern>> = async () => ({}),
  ) {
    this.host = safeHost(settings.url);
  }

  /** Creates the client; supabase-js and ws load only when a remote is configured. */
  static async connect(
    settings: RemoteSettings,
    meter: CostMeter,
    cached?: () => Promise<Record<string, Pattern>>,
  ): Promise<RemoteStore> {
    const { createClient, WebSocket } = await clientLibraries();
    const token = settings.accessToken;
    const timedFetch: typeof fetch = (input, init) => {
      const signals = [AbortSignal.timeout(settings.timeoutMs), ...(init?.signal ? [init.signal] : [])];
      return fetch(input, { ...init, signal: AbortSignal.any(signals) });
    };
    const client = createClient(settings.url, settings.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      // Node 20 has no WebSocket of its own and supabase-js refuses to start without one (realtime is unused).
      realtime: {
        transport: WebSocket as unknown as NonNullable<
          NonNullable<Parameters<typeof createClient>[2]>['realtime']
        >['transport'],
      },
      global: { fetch: timedFetch },
      ...(token ? { accessToken: async () => token } : {}),
    });
    return new RemoteStore(client, settings, meter, cached);
  }

  /** Whether this session has given up on the remote (it failed to connect). */
  get unavailable(): boolean {
    return this.down;
  }

  private async call(
    kind: CallKind,
    operation: string,
    build: (c: SupabaseClient) => Query,
    options: CallOptions = {},
  ): Promise<unknown> {
    if (this.down && this.lastError) throw this.lastError;
    await this.meter.admit(kind, isEssential(kind, options.background));
    this.meter.count(kind);
    const query = build(this.client);
    query.retry?.(false);
    let result: Result;
    try {
      result = await query;
    } catch (e) {
      result = { data: null, error: e as Error, status: 0 };
    }
    if (!result.error) return result.data;
    const error = classifyRemoteFailure(this.host, operation, result.status, result.error);
    if (error.kind === 'unreachable' || error.kind === 'timeout') this.down = true;
    this.lastError ??= error;
    throw error;
  }

  private rpc(kind: CallKind, fn: string, args: Record<string, unknown>, options?: CallOptions): Promise<unknown> {
    return this.call(kind, `run ${fn}`, (c) => c.rpc(fn, args) as unknown as Query, options);
  }

  exact(fingerprint: string): Promise<Pattern | undefined> {
    let memo = this.exactMemo.get(fingerprint);
    if (!memo) {
      memo = (async () => {
        const hit = (await this.cached())[fingerprint];
        if (hit) return hit;
        const rows = await this.call(
          'exact',
          'look up a pattern',
          (c) =>
            c
              .from('error_patterns')
              .select('*')
              .eq('project_id', this.settings.project)
              .eq('fingerprint', fingerprint)
              .limit(1) as unknown as Query,
        );
        return Array.isArray(rows) && rows.length ? parsePatternRow(rows[0]) : undefined;
      })();
      this.exactMemo.set(fingerprint, memo);
    }
    return memo;
  }

  async similar(message: string, tool: string, limit: number): Promise<SimilarPattern[]> {
    const rows = await this.rpc('similar', 'match_patterns', {
      p_project: this.settings.project,
      p_message: message,
      p_tool_family: toolFamily(tool),
      p_limit: Math.max(limit * 3, 10),
      p_threshold: TRIGRAM_CANDIDATE_THRESHOLD,
    });
    const target = shingles(message);
    const out: SimilarPattern[] = [];
    for (const row of Array.isArray(rows) ? rows : []) {
      const pattern = parsePatternRow((row as { pattern?: unknown }).pattern);
      if (pattern && toolFamily(pattern.tool) === toolFamily(tool))
        out.push({ pattern, similarity: jaccard(target, shingles(pattern.message)) });
    }
    return out.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
  }

  /** Returns the pattern's occurrence count afterwards. */
  async recordOccurrence(o: OccurrenceUpload, options?: CallOptions): Promise<number> {
    const total = await this.rpc(
      'occurrence',
      'record_occurrence',
      {
        p_project: this.settings.project,
        p_idempotency_key: o.key,
        p_fingerprint: o.fingerprint,
        p_coarse_fingerprint: o.coarseFingerprint,
        p_tool: o.tool,
        p_tool_family: toolFamily(o.tool),
        p_category: o.category,
        p_message: o.message.slice(0, 4000),
        p_example: o.example?.slice(0, 4000) ?? null,
        p_count: o.count,
        p_seen_at: o.seenAt,
      },
      options,
    );
    return Number(total);
  }

  async recordOutcome(o: OutcomeUpload): Promise<Pattern | undefined> {
    const row = await this.rpc('outcome', 'record_outcome', {
      p_project: this.settings.project,
      p_idempotency_key: o.key,
      p_fingerprint: o.fingerprint,
      p_fix: o.fix,
      p_outcome: o.outcome,
      p_duration_ms: o.durationMs ?? null,
    });
    return parsePatternRow(row);
  }

  async recordCauses(key: string, edges: CauseUpload[]): Promise<void> {
    if (edges.length)
      await this.rpc('causes', 'record_causes', {
        p_project: this.settings.project,
        p_idempotency_key: key,
        p_edges: edges,
      });
  }

  /** The project's most frequent patterns (cache warming). */
  async top(limit = 100): Promise<Pattern[]> {
    const rows = await this.rpc(
      'warm',
      'top_patterns',
      { p_project: this.settings.project, p_limit: limit },
      { background: true },
    );
    return (Array.isArray(rows) ? rows : []).flatMap((r) => parsePatternRow(r) ?? []);
  }

  private async breakerCall(fn: 'breaker_get' | 'breaker_trip' | 'breaker_reset'): Promise<RemoteBreaker> {
    const parsed = breakerSchema.safeParse(await this.rpc('breaker', fn, { p_project: this.settings.project }));
    if (!parsed.success)
      throw new RemoteError('server', `The shared memory at ${this.host} answered ${fn} with an unexpected shape`);
    const b = parsed.data;
    return {
      state: b.state === 'half_open' ? 'halfOpen' : b.state,
      recentReverts: b.reverts,
      reopensAt: b.reopens_at ? Date.parse(b.reopens_at) : undefined,
      dailyCostLimit: b.daily_cost_limit,
    };
  }

  breaker(): Promise<RemoteBreaker> {
    return this.breakerCall('breaker_get');
  }

  tripBreaker(): Promise<RemoteBreaker> {
    return this.breakerCall('breaker_trip');
  }

  resetBreaker(): Promise<RemoteBreaker> {
    return this.breakerCall('breaker_reset');
  }

  /** Files a diagnostic report (insert-only); a report already filed under this id counts as accepted. */
  async insertReport(id: string, body: string): Promise<void> {
    try {
      await this.call(
        'report',
        'file a report',
        (c) => c.from('diagnostic_reports').insert({ id, body: JSON.parse(body) as unknown }) as unknown as Query,
      );
    } catch (e) {
      if (e instanceof RemoteError && e.code === '23505') return;
      throw e;
    }
  }

  async reportStatus(id: string): Promise<{ status: 'open' | 'resolved'; note?: string } | undefined> {
    const rows = await this.call(
      'report',
      'read a report status',
      (c) => c.from('report_status').select('status, note').eq('report_id', id).limit(1) as unknown as Query,
      { background: true },
    );
    const row = z
      .array(z.object({ status: z.enum(['open', 'resolved']), note: z.string().nullable() }))
      .safeParse(rows);
    const first = row.success ? row.data[0] : undefined;
    return first ? { status: first.status, ...(first.note ? { note: first.note } : {}) } : undefined;
  }

  /** Round-trip latency of a cheap authenticated call, for `heal status` and Doctor. */
  async ping(): Promise<{ ms: number; breaker: RemoteBreaker }> {
    const started = performance.now();
    const breaker = await this.breaker();
    return { ms: performance.now() - started, breaker };
  }
}
