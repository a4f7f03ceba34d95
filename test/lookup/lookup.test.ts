import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanText } from '../../shared/detect/scanner';
import { LocalPatternSource } from '../../shared/lookup/localPatternSource';
import { lookupRun } from '../../shared/lookup/lookup';
import { jaccard, shingles, SIMILARITY_THRESHOLD } from '../../shared/lookup/similar';
import { LocalStore } from '../../shared/store/localStore';
import { recordRun } from '../../shared/store/patterns';
import { fixture } from '../detect/expectEvents';

const store = () => new LocalStore(mkdtempSync(path.join(tmpdir(), 'heal-lookup-')));
const nodeMissing = fixture('node/cannot-find-module.txt');

describe('lookup tiers', () => {
  it('tier 3: rules answer an unseen failure, with why, safety and provenance', async () => {
    const { events } = scanText(nodeMissing);
    const [top] = await lookupRun(events, { command: 'node index.js', output: nodeMissing, cwd: '/tmp' });
    expect(top).toMatchObject({
      tier: 'rule',
      safety: 'safe',
      provenance: 'rule:packages.node-missing-module',
      fix: { kind: 'command', command: 'npm install dayjs' },
    });
    expect(top.why).toMatch(/dayjs/);
  });

  it('tier 1: a fix that worked for this exact fingerprint comes first', async () => {
    const s = store();
    const { events } = scanText(nodeMissing);
    const remembered = { id: 'r1', kind: 'command' as const, command: 'pnpm add dayjs', description: 'pnpm add dayjs' };
    await s.update((d) => {
      recordRun(d, events, { source: 'test' });
      const p = d.patterns[events[0].fingerprint];
      p.fixes.push(remembered);
      p.counts.fixed = 4;
      p.confidence = 0.7;
    });
    const [top] = await lookupRun(events, {
      command: 'node index.js',
      cwd: '/tmp',
      sources: [new LocalPatternSource(s)],
    });
    expect(top).toMatchObject({ tier: 'exact', fix: { command: 'pnpm add dayjs' } });
    expect(top.provenance).toBe(`pattern:${events[0].fingerprint}@local`);
  });

  it('tier 2: a similar failure of the same tool family lends its fix; another family never does', async () => {
    const s = store();
    const other = scanText(
      "Error: Cannot find module 'left-pad'\nRequire stack:\n- /app/x.js\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)\n",
    ).events;
    await s.update((d) => {
      recordRun(d, other, { source: 'test' });
      const p = d.patterns[other[0].fingerprint];
      p.fixes.push({ id: 'r2', kind: 'advice', description: 'check the lockfile' });
      p.counts.fixed = 2;
    });
    const { events } = scanText(nodeMissing);
    const found = await lookupRun(events, { cwd: '/tmp', sources: [new LocalPatternSource(s)], rules: [] });
    expect(found[0]).toMatchObject({ tier: 'similar', fix: { description: 'check the lockfile' } });
    const python = scanText(fixture('python/module-not-found.txt')).events;
    expect(
      (await lookupRun(python, { cwd: '/tmp', sources: [new LocalPatternSource(s)] })).some(
        (x) => x.tier === 'similar',
      ),
    ).toBe(false);
  });

  it('the similarity threshold separates variants of one error from different errors', () => {
    const variant = jaccard(shingles("Cannot find module 'dayjs'"), shingles("Cannot find module 'left-pad'"));
    const different = jaccard(shingles("Cannot find module 'dayjs'"), shingles('o.run is not a function'));
    expect(variant).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(different).toBeLessThan(SIMILARITY_THRESHOLD);
  });

  it('a quarantined pattern gets no suggestion from any tier', async () => {
    const s = store();
    const { events } = scanText(nodeMissing);
    await s.update((d) => {
      recordRun(d, events, { source: 'test' });
      d.patterns[events[0].fingerprint].quarantined = true;
    });
    expect(
      await lookupRun(events, { command: 'node index.js', cwd: '/tmp', sources: [new LocalPatternSource(s)] }),
    ).toEqual([]);
  });

  it('root causes rank before their followers', async () => {
    const out =
      'npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/dayjz\nnpm error A complete log of this run can be found in: /x.log\n' +
      nodeMissing;
    const { events } = scanText(out);
    expect(events[1].causedBy).toBe(events[0].fingerprint);
    const found = await lookupRun(events, { cwd: '/tmp' });
    expect(found[0].fingerprint).toBe(events[0].fingerprint);
  });
});
