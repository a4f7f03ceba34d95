// javac, Maven and Gradle.
import { blockDetector, type Found } from '../block';
import { lineDetector, MAX_CONTEXT_LINES, type DetectedError, type Detector } from '../detector';
import { Category } from '../categories';

interface State {
  file: string;
  line: number;
  severity: 'error' | 'warning';
  message: string;
  symbol?: string;
  /** Lines taken after the header. */
  taken: number;
}

const JAVAC_HEADER = /^(\S+\.java):(\d+): (error|warning): (.+)$/;

function classify(s: State): Found {
  const base = { tool: 'java', severity: s.severity, message: s.message, file: s.file, line: s.line };
  if (/^cannot find symbol/.test(s.message) && s.symbol)
    return {
      ...base,
      message: `cannot find symbol: ${s.symbol}`,
      category: Category.nameNotFound,
      data: { name: s.symbol.split(/\s+/).pop()! },
    };
  const pkg = /^package (\S+) does not exist/.exec(s.message);
  if (pkg) return { ...base, category: Category.moduleNotFound, data: { package: pkg[1] } };
  if (/incompatible types/.test(s.message)) return { ...base, category: Category.typeMismatch };
  return { ...base, category: Category.compileError };
}

export const javacDetector = blockDetector<State>('javac', /\.java:\d+: (?:error|warning): /, {
  begin: (line) => {
    const m = JAVAC_HEADER.exec(line);
    return m
      ? { file: m[1], line: Number(m[2]), severity: m[3] as 'error' | 'warning', message: m[4], taken: 0 }
      : undefined;
  },
  next: (s, line) => {
    // javac echoes the source line right after the header, as written: it need not be indented.
    if (JAVAC_HEADER.test(line) || /^\d+ (?:errors?|warnings?)$/.test(line)) return 'end';
    if (s.taken++ === 0) return 'take';
    const symbol = /^\s+symbol:\s+(.+)$/.exec(line);
    if (symbol) s.symbol = symbol[1];
    return /^\s/.test(line) ? 'take' : 'end';
  },
  finish: classify,
});

export const mavenDetector = lineDetector('maven', /^\[ERROR\] |^e: /, (line): Found | null | undefined => {
  let m = /^\[ERROR\] (\S+\.(?:java|kt)):\[(\d+),(\d+)\] (.+)$/.exec(line);
  if (m)
    return {
      tool: 'maven',
      category: /cannot find symbol/.test(m[4]) ? Category.nameNotFound : Category.compileError,
      severity: 'error',
      message: m[4],
      file: m[1],
      line: Number(m[2]),
      column: Number(m[3]),
    };
  if ((m = /^\[ERROR\] Failed to execute goal (\S+).*?: (.+?)(?: -> \[Help \d+\])?$/.exec(line))) {
    const resolution = /could not be resolved|Could not resolve dependencies|Cannot access .* in offline mode/.test(
      m[2],
    );
    return {
      tool: 'maven',
      category: resolution ? Category.installFailed : Category.compileError,
      severity: 'error',
      message: m[2].slice(0, 500),
      data: { goal: m[1], ...(/offline mode/.test(m[2]) ? { offline: 'true' } : {}) },
    };
  }
  if ((m = /^e: (?:file:\/\/)?(\S+\.kts?):(\d+):(\d+):? (.+)$/.exec(line)))
    return {
      tool: 'gradle',
      category: Category.compileError,
      severity: 'error',
      message: m[4],
      file: m[1],
      line: Number(m[2]),
      column: Number(m[3]),
    };
  // Maven's help text repeats errors reported elsewhere.
  if (/^\[ERROR\]/.test(line)) return null;
  return undefined;
});

// ---- Gradle ---------------------------------------------------------------------------------------------------

/** One `* What went wrong:` section of a `FAILURE: Build failed …` report. */
interface GradleFailure {
  headline?: string;
  causes: string[];
  file?: string;
  line?: number;
  lines: string[];
  first: number;
  last: number;
}

function gradleFound(f: GradleFailure, testsReported: number): Found | undefined {
  if (!f.headline) return undefined;
  const text = [f.headline, ...f.causes].join('\n');
  const task = /(?:Execution failed for|the dependencies of) task '([^']+)'/.exec(f.headline)?.[1];
  const base = {
    tool: 'gradle',
    severity: 'error' as const,
    message: [f.headline, ...f.causes].join(' > ').slice(0, 500),
    ...(f.file ? { file: f.file } : {}),
    ...(f.line ? { line: f.line } : {}),
  };
  const data: Record<string, string> = task ? { task } : {};
  let m =
    /Task '([^']+)' not found in (?:root )?project '[^']*'(?: and its subprojects)?\.(?: Some candidates are: '([^']+)')?/.exec(
      text,
    );
  if (m)
    return {
      ...base,
      category: Category.unknownSubcommand,
      data: { ...data, command: 'gradle', subcommand: m[1], ...(m[2] ? { suggestion: m[2] } : {}) },
    };
  // The failing tests were reported one by one above this report; the summary would count them twice.
  if (/There were failing tests/.test(text)) {
    if (testsReported > 0) return undefined;
    const report = /See the report at: (\S+)/.exec(text)?.[1];
    return { ...base, category: Category.testFailure, data: { ...data, ...(report ? { report } : {}) } };
  }
  if ((m = /No cached version of (\S+) available for offline mode/.exec(text)))
    return { ...base, category: Category.installFailed, data: { ...data, package: m[1], offline: 'true' } };
  if ((m = /^Could not find ([\w.-]+:[\w.-]+(?::[\w+-]+(?:\.[\w+-]+)*)?)\.?$/m.exec(text)))
    return { ...base, category: Category.packageNotFound, data: { ...data, package: m[1] } };
  if ((m = /Plugin \[id: '([^']+)'(?:, version: '[^']*')?.*?\] was not found/.exec(text)))
    return { ...base, category: Category.packageNotFound, data: { ...data, plugin: m[1] } };
  if (
    /Could not resolve (?:all (?:files|dependencies|artifacts|task dependencies) for configuration|[\w.-]+:[\w.-]+)/.test(
      text,
    )
  )
    return { ...base, category: Category.installFailed, data };
  if (/OutOfMemoryError|Java heap space|GC overhead limit exceeded|Metaspace/.test(text))
    return { ...base, category: Category.outOfMemory, data };
  if (
    /Compilation failed; see the compiler error output|Compilation error\. See log for more details|Script compilation errors?|Could not compile (?:build|settings) file|A problem occurred evaluating/.test(
      text,
    )
  )
    return { ...base, category: Category.compileError, data };
  if ((m = /Process 'command '(.+?)'' finished with non-zero exit value (\d+)/.exec(text)))
    return { ...base, category: Category.generic, data: { ...data, command: m[1], exitValue: m[2] } };
  return { ...base, category: Category.generic, data };
}

const MAX_CAUSES = 12;
const MAX_CAUSE_CHARS = 1000;
const GRADLE_FAILURE = /^FAILURE: Build (?:failed with an exception|completed with \d+ failures)\.?$/;
const GRADLE_TEST = /^([\w.$]+) > (.+) FAILED$/;

/**
 * Gradle: one event per `* What went wrong:` section of the failure report (with the `* Where:` location),
 * and one per failing test from the console test log (`AppTest > adds() FAILED`). Task summaries
 * (`> Task :app:test FAILED`), hints and stack traces inside the report are claimed silently.
 */
export const gradleDetector: Detector = {
  id: 'gradle',
  trigger: /^FAILURE: Build |^> Task \S+ FAILED|^[\w.$]+ > .+ FAILED$/,
  start(emit, _context) {
    let mode: 'none' | 'report' | 'test' = 'none';
    let section = '';
    let failure: GradleFailure | undefined;
    let reportLines = 0;
    let testsReported = 0;
    let test:
      | {
          name: string;
          suite: string;
          exception?: string;
          message?: string;
          file?: string;
          line?: number;
          lines: string[];
          first: number;
          last: number;
        }
      | undefined;

    const out = (found: Found, lines: string[], first: number, last: number) => {
      const error: DetectedError = {
        ...found,
        context: lines.slice(0, MAX_CONTEXT_LINES),
        startLine: first,
        endLine: last,
      };
      emit(error);
    };
    const flushFailure = () => {
      if (failure) {
        const found = gradleFound(failure, testsReported);
        if (found) out(found, failure.lines, failure.first, failure.last);
      }
      failure = undefined;
    };
    const flushTest = () => {
      if (test) {
        testsReported++;
        const detail = test.exception
          ? `${test.exception.split('.').pop()}${test.message ? `: ${test.message}` : ''}`
          : 'failed';
        out(
          {
            tool: 'gradle',
            category: Category.testFailure,
            severity: 'error',
            message: `${test.name}: ${detail}`.slice(0, 500),
            ...(test.file ? { file: test.file, line: test.line } : {}),
            data: { test: test.name, suite: test.suite, ...(test.exception ? { exception: test.exception } : {}) },
          },
          test.lines,
          test.first,
          test.last,
        );
      }
      test = undefined;
      mode = 'none';
    };
    const endReport = () => {
      flushFailure();
      mode = 'none';
    };

    const reportLine = (line: string, lineNo: number): boolean => {
      if (++reportLines > 2000) {
        endReport();
        return false;
      }
      if (/^BUILD FAILED\b/.test(line)) {
        endReport();
        return true;
      }
      if (/^\d+: Task failed with an exception\.$|^={20,}$/.test(line)) {
        flushFailure();
        section = '';
        return true;
      }
      const header = /^\* (Where|What went wrong|Try|Exception is|Get more help at)\b/.exec(line);
      if (header) {
        section = header[1];
        if (section === 'Where' || (section === 'What went wrong' && failure?.headline)) flushFailure();
        if (section === 'Where' || section === 'What went wrong')
          failure ??= { causes: [], lines: [], first: lineNo, last: lineNo };
      }
      if (failure && (section === 'Where' || section === 'What went wrong')) {
        if (failure.lines.length < MAX_CONTEXT_LINES) failure.lines.push(line);
        failure.last = lineNo;
      }
      if (header) return true;
      if (section === 'Where' && failure) {
        const m = /^(?:Build file|Settings file|Script|Init script|Build script) '(.+)' line: (\d+)$/.exec(line);
        if (m) {
          failure.file = m[1];
          failure.line = Number(m[2]);
        }
      } else if (section === 'What went wrong' && failure && line.trim()) {
        // Bounded: the message and the classification read a few short lines, whatever the input.
        const cause = /^\s*> (.+)$/.exec(line);
        if (cause && failure.causes.length < MAX_CAUSES) failure.causes.push(cause[1].trim().slice(0, MAX_CAUSE_CHARS));
        else if (!cause && !failure.headline) failure.headline = line.trim().slice(0, MAX_CAUSE_CHARS);
      }
      return true;
    };

    const testLine = (line: string, lineNo: number): boolean => {
      if (!test || !/^\s+\S/.test(line)) {
        flushTest();
        return false;
      }
      if (test.lines.length < MAX_CONTEXT_LINES) test.lines.push(line);
      test.last = lineNo;
      if (!test.exception) {
        const m =
          /^\s+([\w$]+(?:\.[\w$]+)+|[A-Z][\w$]*(?:Error|Exception|Failure))(?:: (.*?))?(?: at ([\w$.-]+\.(?:java|kt|groovy|scala)):(\d+))?$/.exec(
            line,
          );
        if (m) {
          test.exception = m[1];
          if (m[2]) test.message = m[2];
          if (m[3]) {
            test.file = m[3];
            test.line = Number(m[4]);
          }
          return true;
        }
      }
      const simple = test.suite.split('.').pop()!;
      const frame = /^\s+at .*\((([\w$]+)\.(?:java|kt|groovy|scala)):(\d+)\)$/.exec(line);
      if (frame && !test.file && frame[2] === simple) {
        test.file = frame[1];
        test.line = Number(frame[3]);
      }
      return true;
    };

    return {
      get open() {
        return mode !== 'none';
      },
      feed(line, lineNo) {
        if (mode === 'report') return reportLine(line, lineNo);
        if (mode === 'test' && testLine(line, lineNo)) return true;
        if (GRADLE_FAILURE.test(line)) {
          mode = 'report';
          section = '';
          reportLines = 0;
          return true;
        }
        // A task summary repeats the failure the report and the task's own output describe.
        if (/^> Task \S+ FAILED$/.test(line)) return true;
        const m = GRADLE_TEST.exec(line);
        if (m) {
          mode = 'test';
          test = { name: `${m[1]} > ${m[2]}`, suite: m[1], lines: [line], first: lineNo, last: lineNo };
          return true;
        }
        return false;
      },
      end() {
        if (mode === 'test') flushTest();
        else if (mode === 'report') endReport();
      },
    };
  },
};
