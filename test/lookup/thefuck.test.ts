import { describe, expect, it } from 'vitest';
import { evaluate, healAnswers, readCases } from './thefuckCorpus';

describe('command corrections on the thefuck corpus', () => {
  it('top-1 ≥ 75 % and top-3 ≥ 85 % against thefuck’s first answer', async () => {
    const { top1, top3, misses } = await evaluate(readCases('sample.jsonl'));
    console.log(`thefuck corpus: top-1 ${(top1 * 100).toFixed(1)} %, top-3 ${(top3 * 100).toFixed(1)} %`);
    console.log(
      misses
        .map(
          (m) =>
            `  miss ${m.c.rule}: ${JSON.stringify(m.c.script)} → ${JSON.stringify(m.got)} (want ${JSON.stringify(m.c.expected![0])})`,
        )
        .join('\n'),
    );
    expect(top1).toBeGreaterThanOrEqual(0.75);
    expect(top3).toBeGreaterThanOrEqual(0.85);
  });

  it('mostly stays quiet on the negative cases', async () => {
    const negatives = readCases('negatives.jsonl');
    let fired = 0;
    const fires: string[] = [];
    for (const c of negatives) {
      const got = await healAnswers(c);
      if (got.length > 0) {
        fired++;
        fires.push(`  ${c.rule}: ${JSON.stringify(c.script)} → ${JSON.stringify(got[0])}`);
      }
    }
    console.log(`negatives with a correction: ${fired}/${negatives.length}\n${fires.join('\n')}`);
    expect(fired / negatives.length).toBeLessThanOrEqual(0.15);
  });
});
