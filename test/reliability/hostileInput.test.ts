import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { scanStream, scanText } from '../../shared/detect/scanner';
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
    const result = await scanStream(stream(bad, Buffer.from("\nindex.ts(1,1): error TS2304: Cannot find name 'x'.\n"), bad));
    expect(result.events).toHaveLength(1);
    expect(result.events[0].message).toContain("Cannot find name 'x'");
  });

  it('a 10 MB single line is truncated with a marker and scanning continues', async () => {
    const huge = 'error '.repeat((10 << 20) / 6);
    const result = await scanStream(stream(huge, "\nindex.ts(1,1): error TS2304: Cannot find name 'y'.\n"));
    expect(result.events.some((e) => e.message.includes("'y'"))).toBe(true);
    const lines = splitLines(huge);
    expect(lines[0].length).toBeLessThanOrEqual(MAX_LINE_BYTES + TRUNCATION_MARKER.length);
    expect(lines[0].endsWith(TRUNCATION_MARKER)).toBe(true);
  }, HANG_GUARD_MS);

  it('a million ANSI escapes are stripped', async () => {
    const text = '\x1b[31mred\x1b[0m'.repeat(1_000_000);
    expect(stripAnsi(text)).toBe('red'.repeat(1_000_000));
    const result = await scanStream(stream(text, "\n\x1b[91mindex.ts(1,1): error TS2304: Cannot find name 'z'.\x1b[0m\n"));
    expect(result.events).toHaveLength(1);
    expect(result.events[0].message).toBe("TS2304: Cannot find name 'z'.");
  }, HANG_GUARD_MS);

  it('strings that make naive regexes backtrack finish', () => {
    const evil = [
      'a'.repeat(50_000) + '(' + '1,'.repeat(20_000) + ': error TS',
      ' TS1: '.repeat(100_000),
      '\x1b]' + '8;;'.repeat(100_000),
      '\x1b['.repeat(100_000),
      ('x'.repeat(30) + ':').repeat(10_000) + ' - error TS1: m',
    ].join('\n');
    const result = scanText(evil);
    expect(result.lines).toBe(5);
  }, HANG_GUARD_MS);

  it('handles CRLF and progress-bar carriage returns like a terminal shows them', () => {
    expect(splitLines('a\r\nb\r\n')).toEqual(['a', 'b']);
    expect(splitLines('10%\r50%\r100% done\n')).toEqual(['100% done']);
  });
});
