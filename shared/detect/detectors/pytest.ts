// pytest: one event per entry of the short test summary (`FAILED path::test - msg`, `ERROR path::test`),
// located from the failure sections printed above it; missing fixtures recognised.
import type { Detector } from '../detector';
import { Category } from '../categories';

const SECTION = /^_{3,} (?:ERROR at (?:setup|teardown) of )?(\S+?)(?:\[.*\])? _{3,}$/;
const LOCATION = /^(\S+\.py):(\d+): (\w+)/;
const FIXTURE = /^E\s+fixture '([^']+)' not found/;
const FIXTURE_FILE = /^file (\S+\.py), line (\d+)/;
const SUMMARY = /^(FAILED|ERROR) (\S+?)::(\S+?)(?:\[[^\]]*\])?(?: - (.*))?$/;
const COLLECT = /^ERROR collecting (\S+)/;

export const pytestDetector: Detector = {
  id: 'pytest',
  trigger: /^_{3,} |^\S+\.py:\d+: \w|^E\s+fixture '|^file \S+\.py, line \d+|^(?:FAILED|ERROR) \S+::|^ERROR collecting /,
  start(emit) {
    let current: string | undefined;
    const where = new Map<string, { file: string; line: number }>();
    const fixtures = new Map<string, string>();
    return {
      open: false,
      feed(line, lineNo) {
        let m = SECTION.exec(line);
        if (m) {
          current = m[1].split('.').pop();
          return true;
        }
        if ((m = FIXTURE.exec(line)) && current) {
          fixtures.set(current, m[1]);
          return true;
        }
        if ((m = FIXTURE_FILE.exec(line) ?? LOCATION.exec(line)) && current && !where.has(current)) {
          where.set(current, { file: m[1], line: Number(m[2]) });
          return true;
        }
        if ((m = COLLECT.exec(line))) {
          emit({
            tool: 'pytest',
            category: Category.testFailure,
            severity: 'error',
            message: line,
            file: m[1],
            data: { kind: 'collection' },
            context: [line],
            startLine: lineNo,
            endLine: lineNo,
          });
          return true;
        }
        if ((m = SUMMARY.exec(line))) {
          const [, kind, file, test, detail] = m;
          const fixture = fixtures.get(test);
          const at = where.get(test);
          const atFile = at && at.file.endsWith(file) ? at.file : at?.file;
          emit({
            tool: 'pytest',
            category: fixture ? Category.fixtureNotFound : Category.testFailure,
            severity: 'error',
            message: fixture
              ? `${test}: fixture '${fixture}' not found`
              : `${test}: ${detail ?? (kind === 'ERROR' ? 'error' : 'failed')}`,
            file: atFile ?? file,
            line: at?.line,
            data: {
              test,
              suite: file,
              ...(fixture ? { fixture } : {}),
              ...(kind === 'ERROR' ? { kind: 'error' } : {}),
            },
            context: [line],
            startLine: lineNo,
            endLine: lineNo,
          });
          return true;
        }
        return false;
      },
      end() {},
    };
  },
};
