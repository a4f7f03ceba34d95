import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { byteTriggerSource, Scan, scanText } from '../../shared/detect/scanner';
import type { Detector } from '../../shared/detect/detector';
import { lineDetector } from '../../shared/detect/detector';

const pretty = readFileSync(path.join(__dirname, '../fixtures/tsc/pretty.txt'), 'utf8');

function summary(events: ReturnType<typeof scanText>['events']) {
  return events.map((e) => `${e.startLine}:${e.file}:${e.line}:${e.message}`);
}

describe('scanner', () => {
  it('finds the same events however the output is split into pieces', () => {
    const whole = summary(scanText(pretty).events);
    expect(whole).toHaveLength(3);
    const bytes = Buffer.from(pretty);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const scan = new Scan();
      scan.write(bytes.subarray(0, cut));
      scan.write(bytes.subarray(cut));
      expect(summary(scan.finish().events), `cut at ${cut}`).toEqual(whole);
    }
  });

  it('counts output lines, with or without a final newline', () => {
    expect(scanText('a\nb\nc').lines).toBe(3);
    expect(scanText('a\nb\nc\n').lines).toBe(3);
    const [event] = scanText("x\ny\nindex.ts(3,13): error TS2304: Cannot find name 'foo'.\nz").events;
    expect(event.startLine).toBe(3);
  });

  it('prefilters on the UTF-8 bytes of non-ASCII triggers', () => {
    expect(new RegExp(byteTriggerSource('●')).test(Buffer.from('  ● test').toString('latin1'))).toBe(true);
    const bullet: Detector = lineDetector('t', /● (.+)/, (line) => ({
      tool: 't',
      category: 'test-failure',
      severity: 'error',
      message: line.trim(),
    }));
    const { events } = scanText('ok\n  ● Suite › fails\n', { detectors: [bullet] });
    expect(events.map((e) => e.message)).toEqual(['● Suite › fails']);
  });

  it('feeds following lines to a detector while it is inside a block', () => {
    const block: Detector = {
      id: 'block',
      trigger: /^BEGIN/,
      start(emit) {
        let lines: string[] | undefined;
        let first = 0;
        return {
          get open() {
            return lines !== undefined;
          },
          feed(line, n) {
            if (!lines) {
              lines = [];
              first = n;
              return true;
            }
            if (line === 'END') {
              emit({
                tool: 'b',
                category: 'error',
                severity: 'error',
                message: lines.join('|'),
                context: lines,
                startLine: first,
                endLine: n,
              });
              lines = undefined;
            } else lines.push(line);
            return true;
          },
          end() {},
        };
      },
    };
    const { events } = scanText('noise\nBEGIN\nplain 1\nplain 2\nEND\nnoise\n', { detectors: [block] });
    expect(events.map((e) => [e.message, e.startLine, e.endLine])).toEqual([['plain 1|plain 2', 2, 5]]);
  });
});
