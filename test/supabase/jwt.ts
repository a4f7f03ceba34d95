// HS256 JWTs as Supabase (GoTrue) issues them, so tests need no auth server: the REST layer and real
// Supabase both accept any token signed with the project's JWT secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);
const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const hmac = (input: string, secret: string) => createHmac('sha256', secret).update(input).digest();

export function signJwt(claims: JwtClaims, secret: string): string {
  const input = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${hmac(input, secret).toString('base64url')}`;
}

export function anonKey(secret: string): string {
  return signJwt({ iss: 'supabase', role: 'anon', iat: now(), exp: now() + 10 * 365 * 24 * HOUR }, secret);
}

export function serviceRoleKey(secret: string): string {
  return signJwt({ iss: 'supabase', role: 'service_role', iat: now(), exp: now() + 10 * 365 * 24 * HOUR }, secret);
}

/** A signed-in user's access token; `sub` must be a uuid for `auth.uid()`. */
export function userToken(secret: string, sub: string, extraClaims: JwtClaims = {}): string {
  const iat = now();
  return signJwt(
    { aud: 'authenticated', role: 'authenticated', sub, iat, exp: iat + HOUR, aal: 'aal1', ...extraClaims },
    secret,
  );
}

export type JwtVerdict =
  | { ok: true; claims: JwtClaims }
  // PostgREST's codes: PGRST301 for a token it cannot decode or verify, PGRST303 for failed claim checks.
  | { ok: false; code: 'PGRST301' | 'PGRST303'; message: string };

/** Verify like PostgREST: HS256 only, `exp`/`nbf`/`iat` checked with 30 s clock skew allowance. */
export function verifyJwt(token: string, secret: string, at = now()): JwtVerdict {
  const parts = token.split('.');
  if (parts.length !== 3)
    return { ok: false, code: 'PGRST301', message: `Expected 3 parts in JWT; got ${parts.length}` };
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, code: 'PGRST301', message: 'JWT cryptographic operation failed' };
  }
  if (!isObject(header) || header.alg !== 'HS256') {
    return { ok: false, code: 'PGRST301', message: 'Wrong or unsupported encoding algorithm' };
  }
  const expected = hmac(`${parts[0]}.${parts[1]}`, secret);
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, code: 'PGRST301', message: 'No suitable key or wrong key type' };
  }
  if (!isObject(claims)) return { ok: false, code: 'PGRST303', message: 'Parsing claims failed' };
  const skew = 30;
  if (typeof claims.exp === 'number' && at - skew >= claims.exp)
    return { ok: false, code: 'PGRST303', message: 'JWT expired' };
  if (typeof claims.nbf === 'number' && at + skew < claims.nbf) {
    return { ok: false, code: 'PGRST303', message: 'JWT not yet valid' };
  }
  if (typeof claims.iat === 'number' && at + skew < claims.iat) {
    return { ok: false, code: 'PGRST303', message: 'JWT issued at future' };
  }
  return { ok: true, claims };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
