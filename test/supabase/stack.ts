// One call gives a test a Supabase-shaped backend: scratch PostgreSQL + Supabase bootstrap + our
// migrations + the PostgREST-subset server. Or, when SUPABASE_* env vars are set, a real project.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { createClient, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { anonKey, serviceRoleKey, userToken, type JwtClaims } from './jwt';
import { applySql, startPostgres, type PgServer } from './postgres';
import { startRestServer } from './restServer';

export interface SupabaseStack {
  /** Project URL, as given to createClient (requests go to `${url}/rest/v1`). */
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  /** A signed-in user's access token (role authenticated, `sub` = user id, 1 h validity). */
  userToken(sub: string, claims?: JwtClaims): string;
  /** undefined against a real project: tests that need an outage or direct SQL skip then. */
  pg: PgServer | undefined;
  /** The JWT secret, undefined for a real project without SUPABASE_JWT_SECRET. */
  jwtSecret: string | undefined;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Every `*.sql` in it is applied in name order (e.g. `supabase/migrations`). */
  migrationsDir?: string;
  /** Applied after the migrations, in order (fixtures, seeds). */
  sqlFiles?: string[];
}

export const BOOTSTRAP_SQL = path.join(__dirname, 'supabaseBootstrap.sql');

export async function startSupabaseStack(options: StackOptions = {}): Promise<SupabaseStack> {
  const env = process.env;
  if (env.SUPABASE_URL && env.SUPABASE_ANON_KEY && env.SUPABASE_SERVICE_ROLE_KEY) {
    // A real project: its schema is whatever was deployed, so migrations/sqlFiles are not applied here.
    const secret = env.SUPABASE_JWT_SECRET || undefined;
    return {
      url: env.SUPABASE_URL,
      anonKey: env.SUPABASE_ANON_KEY,
      serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
      userToken(sub, claims) {
        if (!secret) throw new Error('SUPABASE_JWT_SECRET is needed to mint user tokens for a real project');
        return userToken(secret, sub, claims);
      },
      pg: undefined,
      jwtSecret: secret,
      stop: async () => undefined,
    };
  }

  const pg = await startPostgres();
  try {
    const migrations = options.migrationsDir
      ? (await readdir(options.migrationsDir))
          .filter((f) => f.endsWith('.sql'))
          .sort()
          .map((f) => path.join(options.migrationsDir as string, f))
      : [];
    await applySql(pg.connectionString, [BOOTSTRAP_SQL, ...migrations, ...(options.sqlFiles ?? [])]);
    const secret = randomBytes(30).toString('base64url'); // 40 chars, like a Supabase JWT secret
    // Connect as `authenticator`, as PostgREST does, so only the granted API roles can be assumed.
    const rest = await startRestServer({
      connectionString: pg.connectionString.replace('postgres://postgres@', 'postgres://authenticator@'),
      jwtSecret: secret,
    });
    let stopped: Promise<void> | undefined;
    return {
      url: rest.url,
      anonKey: anonKey(secret),
      serviceRoleKey: serviceRoleKey(secret),
      userToken: (sub, claims) => userToken(secret, sub, claims),
      pg,
      jwtSecret: secret,
      stop() {
        stopped ??= rest.stop().finally(() => pg.destroy());
        return stopped;
      },
    };
  } catch (error) {
    await pg.destroy();
    throw error;
  }
}

// ws's constructor overloads and event types differ from realtime-js's WebSocketLikeConstructor
// only in typing; at run time ws is what supabase-js itself recommends for Node 20.
type Transport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>;

/**
 * supabase-js client for tests. `key` is the apikey (anon or service role); `accessToken` a user token.
 * Node 20 has no global WebSocket and createClient throws without a transport, hence `ws`.
 */
export function testClient(
  stack: Pick<SupabaseStack, 'url' | 'anonKey'>,
  key = stack.anonKey,
  accessToken?: string,
): SupabaseClient {
  return createClient(stack.url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as Transport },
    ...(accessToken ? { accessToken: async () => accessToken } : {}),
  });
}
