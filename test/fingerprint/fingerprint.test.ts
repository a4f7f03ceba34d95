import { describe, expect, it } from 'vitest';
import { coarseMessage, fingerprintOf, normalizeMessage } from '../../shared/fingerprint';

const same: Array<[string, string]> = [
  [
    "Error: Cannot find module '/home/alice/proj/node_modules/left-pad/index.js'",
    "Error: Cannot find module '/Users/bob/work/app/node_modules/left-pad/index.js'",
  ],
  [
    '/tmp/tmp.Xa81kq/build/main.c:12:5: error: expected ; before return',
    '/var/folders/k2/T/tmp9f3/build/main.c:88:17: error: expected ; before return',
  ],
  ['2026-11-24T18:43:27.123Z ERROR worker pid=4242 crashed', '2025-01-02 03:04:05,999 ERROR worker pid=17 crashed'],
  [
    'Error: listen EADDRINUSE: address already in use :::3000',
    'Error: listen EADDRINUSE: address already in use :::8080',
  ],
  [
    'Segmentation fault at 0x7ffd5e8c and request 3F2504E0-4F89-11D3-9A0C-0305E82C3301',
    'Segmentation fault at 0xdeadbeef and request 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  ],
  ['connect ECONNREFUSED 127.0.0.1:5432 after 1.25s', 'connect ECONNREFUSED 10.0.0.7:5432 after 30.5s'],
  [
    'checksum mismatch for commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
    'checksum mismatch for commit 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
  ],
  ['Invalid user alice from 10.0.0.1 port 5022', 'Invalid user deploy-2 from 192.168.1.9 port 41000'],
  ['Sun Jul 24 02:38:21 2005 connection refused by peer', 'Mon Aug  1 13:05:09 2005 connection refused by peer'],
  ['Fri, 04 Dec 2026 19:49:10 GMT: request failed', 'Sat, 5 Dec 2026 01:02:03 GMT: request failed'],
  ['cert expired on December 4, 2026 at 19:49:10', 'cert expired on January 12, 2027 at 03:04:05'],
  ['backup of 24-Jul-2005 failed: disk full', 'backup of 3-Aug-2006 failed: disk full'],
  ['C:\\Users\\carol\\src\\app\\index.ts(3,13): error', 'D:\\work\\dave\\repo\\index.ts(40,2): error'],
];

const different: Array<[string, string]> = [
  ["Cannot find module 'left-pad'", 'Cannot find name foo'],
  ['EADDRINUSE: address already in use', 'EACCES: permission denied'],
  ["TS2307: Cannot find module './a'", "TS2304: Cannot find name 'a'"],
  ['error[E0425]: cannot find value `x` in this scope', 'error[E0433]: failed to resolve: use of undeclared crate'],
  ['Test failed: expected 2 received 3', 'Test timed out after 5000 ms'],
  ['error: user deleted while the job ran', 'error: user created while the job ran'],
  ['the user is not allowed to push', 'the user was not allowed to push'],
];

describe('fingerprints', () => {
  it.each(same)('the same error from two machines gets one coarse fingerprint: %s', (a, b) => {
    expect(fingerprintOf('t', 'c', a).coarseFingerprint).toBe(fingerprintOf('t', 'c', b).coarseFingerprint);
  });

  it.each(different)('different errors get different fingerprints: %s', (a, b) => {
    const fa = fingerprintOf('t', 'c', a);
    const fb = fingerprintOf('t', 'c', b);
    expect(fa.fingerprint).not.toBe(fb.fingerprint);
    expect(fa.coarseFingerprint).not.toBe(fb.coarseFingerprint);
  });

  it('fine keeps quoted identifiers, coarse drops them', () => {
    const a = fingerprintOf('node', 'module-not-found', "Cannot find module 'left-pad'");
    const b = fingerprintOf('node', 'module-not-found', "Cannot find module 'right-pad'");
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(a.coarseFingerprint).toBe(b.coarseFingerprint);
  });

  it('tool and category are part of the fingerprint', () => {
    expect(fingerprintOf('tsc', 'x', 'm').fingerprint).not.toBe(fingerprintOf('eslint', 'x', 'm').fingerprint);
  });

  it('fingerprints are 16 hex characters', () => {
    const f = fingerprintOf('t', 'c', 'm');
    expect(f.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(f.coarseFingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps error codes and collapses repeated variable tokens', () => {
    expect(normalizeMessage('error TS2307 at blk_1 blk_2 blk_3')).toBe('error TS2307 at <*>');
    expect(coarseMessage('user=root failed')).toBe('user=<*> failed');
  });

  it('normalises hostile input in linear time', () => {
    const start = performance.now();
    normalizeMessage('a'.repeat(200_000) + '!');
    normalizeMessage('/a'.repeat(100_000));
    normalizeMessage("'".repeat(100_000));
    normalizeMessage('1.'.repeat(100_000));
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
