// Cascades: a real tsc cascade has one root; the root's fix is offered first whatever the followers' tiers;
// cause → effect edges persist in the store and link later runs where the order alone would not.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkCauses } from '../../shared/detect/causality';
import type { ErrorEvent } from '../../shared/detect/detector';
import { scanText } from '../../shared/detect/scanner';
import { LocalPatternSource } from '../../shared/lookup/localPatternSource';
import { lookupRun } from '../../shared/lookup/lookup';
import { LocalStore } from '../../shared/store/localStore';
import { causalityEdges, knownEdges, recordRun } from '../../shared/store/patterns';
import { fixture } from '../detect/expectEvents';

const store = () => new LocalStore(mkdtempSync(path.join(tmpdir(), 'heal-causality-')));
const fresh = (events: ErrorEvent[]): ErrorEvent[] => events.map((e) => ({ ...e, causedBy: undefined }));

describe('a real tsc cascade: one missing import, errors all over the file', () => {
  const cascade = () => scanText(fixture('tsc/cascade-missing-import.txt')).events;

  it('marks the missing module as the root and every implicit any after it as its follower', () => {
    const [root, ...followers] = cascade();
    expect(root).toMatchObject({ tool: 'tsc', category: 'module-not-found', data: { module: 'lodashx' } });
    expect(root.causedBy).toBeUndefined();
    expect(followers).toHaveLength(3);
    for (const f of followers) expect(f).toMatchObject({ data: { code: 'TS7006' }, causedBy: root.fingerprint });
    expect(new Set(followers.map((f) => f.fingerprint)).size).toBe(3);
  });

  it("offers the root's fix first, even when a follower has a fix remembered for its exact fingerprint", async () => {
    const events = cascade();
    const [root, follower] = events;
    const s = store();
    await s.update((d) => {
      recordRun(d, events, { source: 'test' });
      const p = d.patterns[follower.fingerprint];
      p.fixes.push({ id: 'annotate', kind: 'advice', description: 'Annotate the parameter `user`' });
      p.counts.fixed = 5;
      p.confidence = 0.95;
    });
    const found = await lookupRun(events, {
      command: 'tsc --noEmit',
      cwd: '/nonexistent-project',
      sources: [new LocalPatternSource(s)],
    });
    expect(found[0]).toMatchObject({
      tier: 'rule',
      fingerprint: root.fingerprint,
      fix: { kind: 'command', command: 'npm install lodashx' },
    });
    const remembered = found.findIndex((x) => x.fix.id === 'annotate');
    expect(remembered).toBeGreaterThan(0);
    expect(found[remembered].tier).toBe('exact');
  });
});

describe('learned cause → effect edges', () => {
  // npm could not install dayjz, so node cannot find dayjs: the install failure explains the missing module.
  const npm404 =
    'npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/dayjz\nnpm error A complete log of this run can be found in: /x.log\n';
  const missing = fixture('node/cannot-find-module.txt');

  it('are recorded with counts by each run, persist in the store, and link a later run the order alone would not', async () => {
    const s = store();
    const inOrder = scanText(npm404 + missing).events;
    const [cause, effect] = inOrder;
    expect(effect.causedBy).toBe(cause.fingerprint);
    // Runs 1 and 2: the heuristics link them (the install failure comes first); each run records the edge.
    for (let run = 0; run < 2; run++) {
      const events = fresh(inOrder);
      await s.update((d) => {
        linkCauses(events, knownEdges(d));
        recordRun(d, events, { source: 'terminal', commandLine: 'npm install dayjz && node index.js' });
      });
    }
    const data = await new LocalStore(s.dir).read();
    expect(causalityEdges.get(data)).toEqual({ [`${cause.fingerprint}>${effect.fingerprint}`]: 2 });
    expect(knownEdges(data).get(effect.fingerprint)).toEqual(new Set([cause.fingerprint]));
    // Run 3: the two outputs interleave the other way round (the missing module printed first).
    const reversed = scanText(missing + npm404).events;
    expect(reversed.map((e) => e.fingerprint)).toEqual([effect.fingerprint, cause.fingerprint]);
    const unaided = fresh(reversed);
    linkCauses(unaided);
    expect(unaided[0].causedBy).toBeUndefined();
    const learned = fresh(reversed);
    linkCauses(learned, knownEdges(data));
    expect(learned[0].causedBy).toBe(cause.fingerprint);
    expect(learned[1].causedBy).toBeUndefined();
    // And the root's advice ranks before the follower's install command.
    const found = await lookupRun(learned, { cwd: '/nonexistent-project' });
    expect(found[0].fingerprint).toBe(cause.fingerprint);
  });
});
