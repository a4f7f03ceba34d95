import * as path from 'node:path';
import { expect, it } from 'vitest';
import { groupingAccuracy, loghubDatasets, readLoghub } from './loghubAccuracy';

it('coarse fingerprints group loghub messages by template (average accuracy ≥ 0.85)', () => {
  const files = loghubDatasets();
  expect(files.length).toBeGreaterThan(0);
  const scores = files.map((f) => [path.basename(f, '.csv'), groupingAccuracy(readLoghub(f))] as const);
  const average = scores.reduce((s, [, a]) => s + a, 0) / scores.length;
  console.log(scores.map(([n, a]) => `${n} ${a.toFixed(3)}`).join('\n') + `\naverage ${average.toFixed(3)}`);
  expect(average).toBeGreaterThanOrEqual(0.85);
});
