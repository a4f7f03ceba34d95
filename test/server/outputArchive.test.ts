import { describe, expect, it } from 'vitest';
import { OutputArchive } from '../../server/outputArchive';

describe('captured outputs kept for the editor', () => {
  it('names each output by its command and finds the error line in it', () => {
    const archive = new OutputArchive();
    const out = archive.add('a\nb\nsrc/x.ts(1,1): error TS2304: nope\n', 'tsc -p .', '2026-01-01T00:00:00Z');
    const at = archive.locate(out, 3);
    expect(at).toEqual({ uri: `heal-output:/${out.id}/tsc-p.log`, line: 2 });
    expect(archive.resolve(at.uri)?.text.split('\n')[at.line]).toContain('TS2304');
  });

  it('keeps only the most recent outputs', () => {
    const archive = new OutputArchive(2);
    const first = archive.add('one', 'a', 't');
    archive.add('two', 'b', 't');
    const third = archive.add('three', 'c', 't');
    expect(archive.get(first.id)).toBeUndefined();
    expect(archive.get(third.id)?.text).toBe('three');
  });

  it('keeps the tail of a long output and still points at the right line', () => {
    const archive = new OutputArchive(5, 100);
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`);
    const out = archive.add(lines.join('\n'), undefined, 't');
    expect(out.text.length).toBeLessThanOrEqual(100);
    const at = archive.locate(out, 50); // 1-based: "line 49"
    expect(out.text.split('\n')[at.line]).toBe('line 49');
    expect(at.uri).toMatch(/\/output\.log$/);
  });
});
