import { describe, expect, it } from 'vitest';
import { exportPatterns, importedKnowledge, importPatterns, parseExchange } from '../../shared/learn/exchange';
import { emptyStore } from '../../shared/store/schema';
import { newPattern } from '../../shared/store/patterns';

function store() {
  const data = emptyStore();
  const p = newPattern(
    {
      tool: 'npm',
      category: 'x',
      severity: 'error',
      message: 'E404 /home/ann/x',
      context: [],
      startLine: 1,
      endLine: 1,
      fingerprint: 'fp1',
      coarseFingerprint: 'c',
    },
    '2026-01-01T00:00:00.000Z',
  );
  p.examples.push('npm ERR! 404 /home/ann/x');
  p.counts = { seen: 4, fixed: 2, failed: 1 };
  p.fixes.push({ id: 'f1', kind: 'command', command: 'npm i /home/ann/pkg', description: 'install' });
  p.commands.push('npm i /home/ann/private');
  data.patterns.fp1 = p;
  return data;
}

describe('export / import of learned patterns', () => {
  it('exports fixes and outcome stats through the scrubber, without commands or history', () => {
    const doc = exportPatterns(store(), (t) => t.split('/home/ann').join('~'), 'T');
    expect(doc).toMatchObject({ heal: 'patterns', version: 1, exportedAt: 'T' });
    expect(doc.patterns[0]).toMatchObject({
      examples: ['npm ERR! 404 ~/x'],
      counts: { seen: 4, fixed: 2, failed: 1 },
      fixes: [{ command: 'npm i ~/pkg' }],
    });
    expect(JSON.stringify(doc)).not.toContain('/home/ann');
    expect(doc.patterns[0]).not.toHaveProperty('commands');
  });

  it('round-trips: new patterns are added, known ones gain fixes and keep their local counts', () => {
    const doc = parseExchange(JSON.parse(JSON.stringify(exportPatterns(store(), (t) => t))), 'f');
    const empty = emptyStore();
    expect(importPatterns(empty, doc)).toEqual({ added: 1, merged: 0 });
    // The file's outcome stats are kept aside, not trusted: no local track record yet.
    expect(empty.patterns.fp1.counts).toEqual({ seen: 4, fixed: 0, failed: 0 });
    expect(importedKnowledge.get(empty).fp1.claimed?.counts.fixed).toBe(2);
    const local = store();
    local.patterns.fp1.fixes = [];
    local.patterns.fp1.counts.seen = 9;
    expect(importPatterns(local, doc)).toEqual({ added: 0, merged: 1 });
    expect(local.patterns.fp1.fixes.map((f) => f.id)).toEqual(['f1']);
    expect(local.patterns.fp1.counts.seen).toBe(9);
  });

  it('rejects documents of another shape, unknown fields included, naming the place', () => {
    expect(() => parseExchange({ heal: 'patterns', version: 2, exportedAt: 'x', patterns: [] }, 'a.yaml')).toThrow(
      /a.yaml is not a Heal export: version/,
    );
    const doc = exportPatterns(store(), (t) => t);
    expect(() => parseExchange({ ...doc, patterns: [{ ...doc.patterns[0], extra: 1 }] }, 'b.json')).toThrow(
      /patterns.0: Unrecognized key/,
    );
    expect(() => parseExchange([], 'c')).toThrow(/document/);
  });
});
