// Prints the detectors' trigger patterns as one regex, for the ripgrep side of the scan benchmark.
import { allDetectors } from '../../shared/detect/registry';

// ripgrep's regex syntax rejects JavaScript's `\/` escape; the pattern is otherwise the same.
process.stdout.write(
  allDetectors()
    .map((d) => `(?:${d.trigger.source.replace(/(?<!\\)\\\//g, '/')})`)
    .join('|'),
);
