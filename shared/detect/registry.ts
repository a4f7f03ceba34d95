// All built-in detectors, most specific first (a line is offered to each detector whose trigger matches).
import type { Detector } from './detector';
import { tscDetector } from './detectors/tsc';

export function allDetectors(): Detector[] {
  return [tscDetector];
}
