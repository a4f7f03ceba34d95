import { describe, expect, it } from 'vitest';
import { allDetectors } from '../../shared/detect/registry';
import { compileTriggers, topLevelBranches } from '../../shared/detect/triggerSet';

describe('trigger set', () => {
  it('splits only at top-level alternation', () => {
    expect(topLevelBranches('^a|b(?:c|d)|[|]e|\\|f')).toEqual(['^a', 'b(?:c|d)', '[|]e', '\\|f']);
  });

  it('matches a line exactly when one of the detectors’ own triggers does', () => {
    const detectors = allDetectors();
    const set = compileTriggers(detectors.map((d) => d.trigger.source));
    const lines = [
      "src/a.ts(1,2): error TS2304: Cannot find name 'x'.",
      '/home/u/project/src/index.ts',
      '  ● cart › applies the discount',
      'npm error Missing script: "biuld"',
      'bash: gti: command not found',
      'Traceback (most recent call last):',
      'fatal: not a git repository (or any of the parent directories): .git',
      '  Compiling serde v1.0.1',
      'PASS src/feature.test.ts',
      'INFO compiled module 42 in 9ms',
      "main.c:3:5: error: use of undeclared identifier 'x'",
      '  ✓ renders the component',
    ];
    for (const line of lines)
      expect([line, set.matchesLine(line)]).toEqual([line, detectors.some((d) => d.trigger.test(line))]);
  });
});
