// All built-in detectors. A line that no open block claims is offered to the detectors whose trigger matches,
// in this order, until one claims it: specific detectors first, the generic fallback last.
import type { Detector } from './detector';
import { tscDetector } from './detectors/tsc';
import { eslintDetector } from './detectors/eslint';
import { jestDetector, mochaDetector, vitestDetector } from './detectors/testRunners';
import { pytestDetector } from './detectors/pytest';
import { pythonDetector } from './detectors/python';
import { pipDetector } from './detectors/pip';
import { npmDetector, pnpmDetector, yarnBerryDetector, yarnDetector } from './detectors/npm';
import { cargoTestDetector, rustDetector } from './detectors/rust';
import { goBuildDetector, goTestDetector } from './detectors/go';
import { ccDetector } from './detectors/cc';
import { gradleDetector, javacDetector, mavenDetector } from './detectors/java';
import { gitDetector } from './detectors/git';
import { dockerDetector } from './detectors/docker';
import { shellDetector } from './detectors/shell';
import { nodeDetector } from './detectors/node';
import { genericDetector } from './detectors/generic';

const DETECTORS: Detector[] = [
  tscDetector,
  eslintDetector,
  jestDetector,
  vitestDetector,
  mochaDetector,
  pytestDetector,
  pythonDetector,
  pipDetector,
  npmDetector,
  pnpmDetector,
  yarnDetector,
  yarnBerryDetector,
  gitDetector,
  dockerDetector,
  shellDetector,
  rustDetector,
  cargoTestDetector,
  goTestDetector,
  goBuildDetector,
  javacDetector,
  mavenDetector,
  gradleDetector,
  ccDetector,
  nodeDetector,
  genericDetector,
];

export function allDetectors(): Detector[] {
  return DETECTORS;
}
