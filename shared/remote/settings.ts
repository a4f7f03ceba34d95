// Where the team's shared memory is and who the user is there: environment first, then `heal config`.
import type { HealConfig } from '../config';
import { RemoteError } from './remoteError';

export const DEFAULT_DAILY_LIMIT = 5000;

export interface RemoteSettings {
  /** The Supabase project URL (https://<ref>.supabase.co). */
  url: string;
  /** The project's anon (publishable) key. */
  anonKey: string;
  /** The user's access token (a JWT); without it only what anon may do works (nothing, with our policies). */
  accessToken?: string;
  /** The Heal project (team) whose memory is shared. */
  project: string;
  /** Remote calls per day before non-essential remote work stops. */
  dailyLimit: number;
  timeoutMs: number;
}

/** The remote settings, undefined when no remote is configured; a half-configured remote is an error. */
export function remoteSettings(config: HealConfig, env: NodeJS.ProcessEnv = process.env): RemoteSettings | undefined {
  const url = env.SUPABASE_URL || config['remote.url'];
  if (!url) return undefined;
  const anonKey = env.SUPABASE_ANON_KEY || config['remote.anonKey'];
  const project = env.HEAL_PROJECT || config['remote.project'];
  const missing = [!anonKey && 'the anon key', !project && 'the project'].filter(Boolean);
  if (missing.length)
    throw new RemoteError(
      'config',
      `A shared memory is configured at ${safeHost(url)} but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing`,
    );
  try {
    const parsed = new URL(url);
    if (
      parsed.protocol !== 'https:' &&
      !(parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname))
    ) {
      throw new RemoteError('config', `The shared memory URL must use https (${parsed.host})`);
    }
  } catch (e) {
    if (e instanceof RemoteError) throw e;
    throw new RemoteError('config', `The shared memory URL "${safeHost(url)}" is not a URL`);
  }
  const limit = Number(env.HEAL_DAILY_LIMIT ?? config['cost.dailyLimit'] ?? DEFAULT_DAILY_LIMIT);
  return {
    url,
    anonKey: anonKey!,
    accessToken: env.HEAL_REMOTE_TOKEN || config['remote.accessToken'] || undefined,
    project: project!,
    dailyLimit: Number.isFinite(limit) && limit >= 0 ? Math.floor(limit) : DEFAULT_DAILY_LIMIT,
    timeoutMs: 3000,
  };
}

/** The host of a URL for messages (never the query string, which could hold a key). */
export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.replace(/[?#].*$/, '').slice(0, 80);
  }
}
