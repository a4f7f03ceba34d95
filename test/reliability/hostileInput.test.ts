import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Scan, scanStream, scanText } from '../../shared/detect/scanner';
import { MAX_LINE_BYTES, TRUNCATION_MARKER, splitLines, stripAnsi } from '../../shared/capture';

function stream(...parts: Array<Buffer | string>): Readable {
  return Readable.from(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

// Each case must finish; the bound is a hang guard sized far above linear-time cost, not a speed target.
const HANG_GUARD_MS = 20_000;

describe('hostile input', () => {
  it('binary data does not crash the scanner', async () => {
    const result = await scanStream(stream(randomBytes(5 << 20)));
    expect(result.bytes).toBeGreaterThan(0);
  });

  it('invalid UTF-8 is replaced, and errors around it are still found', async () => {
    const bad = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]);
    const result = await scanStream(
      stream(bad, Buffer.from("\nindex.ts(1,1): error TS2304: Cannot find name 'x'.\n"), bad),
    );
    expect(result.events).toHaveLength(1);
    expect(result.events[0].message).toContain("Cannot find name 'x'");
  });

  it(
    'a 10 MB single line is truncated with a marker and scanning continues',
    async () => {
      const huge = 'error '.repeat((10 << 20) / 6);
      const result = await scanStream(stream(huge, "\nindex.ts(1,1): error TS2304: Cannot find name 'y'.\n"));
      expect(result.events.some((e) => e.message.includes("'y'"))).toBe(true);
      const lines = splitLines(huge);
      expect(lines[0].length).toBeLessThanOrEqual(MAX_LINE_BYTES + TRUNCATION_MARKER.length);
      expect(lines[0].endsWith(TRUNCATION_MARKER)).toBe(true);
    },
    HANG_GUARD_MS,
  );

  it(
    'a million ANSI escapes are stripped',
    async () => {
      const text = '\x1b[31mred\x1b[0m'.repeat(1_000_000);
      expect(stripAnsi(text)).toBe('red'.repeat(1_000_000));
      const result = await scanStream(
        stream(text, "\n\x1b[91mindex.ts(1,1): error TS2304: Cannot find name 'z'.\x1b[0m\n"),
      );
      expect(result.events).toHaveLength(1);
      expect(result.events[0].message).toBe("TS2304: Cannot find name 'z'.");
    },
    HANG_GUARD_MS,
  );

  it(
    'strings that make naive regexes backtrack finish',
    () => {
      const evil = [
        'a'.repeat(50_000) + '(' + '1,'.repeat(20_000) + ': error TS',
        ' TS1: '.repeat(100_000),
        '\x1b]' + '8;;'.repeat(100_000),
        '\x1b['.repeat(100_000),
        ('x'.repeat(30) + ':').repeat(10_000) + ' - error TS1: m',
      ].join('\n');
      const result = scanText(evil);
      expect(result.lines).toBe(5);
    },
    HANG_GUARD_MS,
  );

  it('handles CRLF and progress-bar carriage returns like a terminal shows them', () => {
    expect(splitLines('a\r\nb\r\n')).toEqual(['a', 'b']);
    expect(splitLines('10%\r50%\r100% done\n')).toEqual(['100% done']);
  });
});

// ---- Linear time ------------------------------------------------------------------------------------------------
//
// The hang guard above only catches catastrophes. Here each hostile shape is scanned at two sizes, N and 4N, and the
// time must grow about 4× (linear), not 16× (quadratic). Lines are cut at 64 KiB, so a regex that is quadratic in the
// length of one line only shows while lines are shorter than that: line shapes grow the line (12 K → 48 K characters)
// and keep the number of lines; bulk shapes grow the number of lines or bytes. The machine may be busy: each size is
// timed several times, interleaved, and the best time counts; a ratio over the limit is measured again before failing.
// (Checked against a lazy `^(\S+?)@\S+ doesn't provide` in the berry detector: ×15.8, caught.)

/** Deterministic bytes (xorshift32), so a failure can be reproduced. */
function pseudoRandom(n: number, seed = 0x9e3779b9): Buffer {
  const out = Buffer.allocUnsafe(n);
  let x = seed | 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const LINE = 12_000;
const rep = (s: string, length: number) => s.repeat(Math.max(1, Math.round(length / s.length)));

interface Shape {
  name: string;
  /** `count`: how many lines (or units); `scale`: 1 or 4, the factor applied to the size under test. */
  build(count: number, scale: number): Buffer;
}

/** A shape whose single line grows with the scale; `count` identical lines. */
function lineShape(name: string, line: (length: number) => string): Shape {
  return { name, build: (count, scale) => Buffer.from((line(LINE * scale) + '\n').repeat(count)) };
}

/** A shape whose number of lines (or bytes) grows with the scale. */
function bulkShape(name: string, unit: (n: number) => Buffer | string): Shape {
  return {
    name,
    build: (count, scale) => {
      const u = unit(count * scale);
      return typeof u === 'string' ? Buffer.from(u) : u;
    },
  };
}

const mixedLines = [
  "src/a.ts(1,5): error TS2304: Cannot find name 'x'.",
  "Error: Cannot find module 'left-pad'",
  '  1:7  error  x is assigned a value but never used  no-unused-vars',
  'npm error code E404',
  ' ERR_PNPM_NO_SCRIPT  Missing script: biuld',
  'error Command "biuld" not found.',
  '➤ YN0035: │ nope@npm:^1.0.0: Package not found',
  'AppTest > adds() FAILED',
  '    org.opentest4j.AssertionFailedError at AppTest.java:12',
  'App.java:6: error: cannot find symbol',
  'return totl;',
  '  symbol:   variable totl',
  "cp: error writing '/dev/full': No space left on device",
  'zsh: permission denied: ./x.sh',
  'bash: ./x.sh: /bin/nonexistent: bad interpreter: No such file or directory',
  'FAILURE: Build failed with an exception.',
  '* What went wrong:',
  "Execution failed for task ':app:test'.",
  '> There were failing tests. See the report at: file:///x/index.html',
  'BUILD FAILED in 1s',
  'plain output that nothing triggers on',
].join('\n');

const shapes: Shape[] = [
  bulkShape('binary data', (n) => pseudoRandom(n * 64 * 1024)),
  bulkShape('invalid UTF-8 with short lines', (n) =>
    Buffer.concat(
      Array.from({ length: n * 256 }, () =>
        Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x0a, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x0a]),
      ),
    ),
  ),
  bulkShape('lines of ANSI escapes around trigger words', (n) =>
    ('\x1b[31merror\x1b[0m: \x1b[1mboom\x1b[22m '.repeat(40) + '\n').repeat(n * 20),
  ),
  bulkShape('one long line without a newline', (n) => 'error '.repeat(n * 64 * 1024)),
  bulkShape('many lines that every detector triggers on', (n) => (mixedLines + '\n').repeat(n * 20)),
  bulkShape(
    'an endless Gradle report',
    (n) => 'FAILURE: Build failed with an exception.\n\n* What went wrong:\n' + "> Plugin [id: 'x'\n".repeat(n * 2000),
  ),
  bulkShape(
    'an endless berry report',
    (n) => '➤ YN0000: ┌ Resolution step\n' + '➤ YN0035: │ Package not found\n'.repeat(n * 2000),
  ),
  bulkShape(
    'an endless Gradle test log',
    (n) => 'AppTest > adds() FAILED\n' + '        at app//demo.AppTest.adds(AppTest.java:12)\n'.repeat(n * 2000),
  ),
  lineShape('tsc location with a huge position list', (l) => 'a'.repeat(l / 2) + '(' + rep('1,', l / 2) + ': error TS'),
  lineShape('repeated " TS1: "', (l) => rep(' TS1: ', l)),
  lineShape('an unterminated OSC', (l) => '\x1b]' + rep('8;;', l)),
  lineShape('repeated CSI introducers', (l) => rep('\x1b[', l)),
  lineShape('colon-separated words before an error', (l) => rep('x'.repeat(30) + ':', l) + ' - error TS1: m'),
  lineShape(
    'bash: many colons before "bad interpreter"',
    (l) => 'bash: ' + rep('a: ', l / 2) + 'bad interpreter: ' + rep('b: ', l / 2),
  ),
  lineShape('zsh: "bad interpreter" over and over', (l) => 'zsh: ' + rep('x: bad interpreter: ', l)),
  lineShape('many colons before "Permission denied"', (l) => 'bash: line 1: ' + rep('a: ', l) + 'Permission denied'),
  lineShape(
    'many colons before "No space left on device"',
    (l) => 'cp: ' + rep("'x': ", l) + 'No space left on device',
  ),
  lineShape(
    'berry: a name made of @ before "doesn\'t provide"',
    (l) => '➤ YN0002: │ a@' + rep('a@', l) + " doesn't provide",
  ),
  lineShape('berry: @ before "couldn\'t be built"', (l) => '➤ YN0009: │ ' + rep('a@', l) + " couldn't be built"),
  lineShape('pnpm 404 with a path of slashes', (l) => ' ERR_PNPM_FETCH_404  GET ' + rep('/', l) + ':x'),
  lineShape(
    'yarn: a package made of scopes',
    (l) => 'error Couldn\'t find package "' + rep('@a/', l) + '" on the "npm" registry!',
  ),
  lineShape('a Gradle test name made of " > "', (l) => 'A' + rep(' > x', l) + ' FAILED'),
  lineShape('Maven goal with many ": "', (l) => '[ERROR] Failed to execute goal x' + rep(': a', l)),
  lineShape('javac header with a long message', (l) => 'A.java:1: error: ' + rep('cannot find symbol ', l)),
];

function timeScan(input: Buffer): number {
  const started = performance.now();
  const scan = new Scan();
  scan.write(input);
  scan.finish();
  return performance.now() - started;
}

/** Best of `runs` timings of each input, interleaved so a busy moment hits both sizes alike. */
function bestTimes(small: Buffer, large: Buffer, runs: number): [number, number] {
  let a = Infinity;
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    a = Math.min(a, timeScan(small));
    b = Math.min(b, timeScan(large));
  }
  return [a, b];
}

/** The growth of the scan time from N to 4N, with N large enough to time reliably (≥ 15 ms). */
function growth(shape: Shape): { ratio: number; small: number; large: number; count: number } {
  let count = 1;
  timeScan(shape.build(count, 1)); // warm up the JIT
  // Bounded by size too: a shape the scanner skips quickly (a line past the 64 KiB cap) must not grow without end.
  while (count < 4096 && shape.build(count, 1).length * 8 <= 64 << 20 && timeScan(shape.build(count, 1)) < 15)
    count *= 2;
  const small = shape.build(count, 1);
  const large = shape.build(count, 4);
  let best = { ratio: Infinity, small: 0, large: 0, count };
  for (let attempt = 0; attempt < 3 && best.ratio >= LINEAR_LIMIT; attempt++) {
    const [a, b] = bestTimes(small, large, 4);
    if (b / a < best.ratio) best = { ratio: b / a, small: a, large: b, count };
  }
  return best;
}

/** 4× the input: linear is ~4×, quadratic ~16×. */
const LINEAR_LIMIT = 8;

describe('hostile input: time linear in the size', () => {
  for (const shape of shapes) {
    it(`${shape.name}: 4× the input takes well under 16× the time`, () => {
      const g = growth(shape);
      expect(
        g.ratio,
        `${shape.name}: ${g.small.toFixed(1)} ms → ${g.large.toFixed(1)} ms (×${g.ratio.toFixed(1)}) at ${g.count} units`,
      ).toBeLessThan(LINEAR_LIMIT);
    }, 120_000);
  }
});
