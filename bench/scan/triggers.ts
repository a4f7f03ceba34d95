// Prints the detectors' trigger patterns as one regex, for the ripgrep side of the scan benchmark.
import { allDetectors } from '../../shared/detect/registry';

process.stdout.write(allDetectors().map((d) => `(?:${d.trigger.source})`).join('|'));
