// Applying LSP-style text edits (zero-based lines, UTF-16 characters, end exclusive) to a file's text.
import type { TextEdit } from '../fix';

export class EditError extends Error {
  override name = 'EditError';
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function offsetOf(text: string, starts: number[], pos: { line: number; character: number }, file: string): number {
  if (pos.line >= starts.length) {
    if (pos.line === starts.length && pos.character === 0) return text.length;
    throw new EditError(`${file}: the edit points at line ${pos.line + 1}, but the file has ${starts.length} lines`);
  }
  const lineEnd = pos.line + 1 < starts.length ? starts[pos.line + 1] - 1 : text.length;
  const offset = starts[pos.line] + pos.character;
  if (offset > lineEnd) throw new EditError(`${file}: the edit points past the end of line ${pos.line + 1}`);
  return offset;
}

/** Applies edits for one file; overlapping edits are refused rather than guessed at. */
export function applyTextEdits(text: string, edits: TextEdit[], file = 'file'): string {
  const starts = lineStarts(text);
  const spans = edits
    .map((e) => ({
      start: offsetOf(text, starts, e.range.start, file),
      end: offsetOf(text, starts, e.range.end, file),
      newText: e.newText,
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 0; i < spans.length; i++) {
    if (spans[i].end < spans[i].start) throw new EditError(`${file}: an edit ends before it starts`);
    if (i > 0 && spans[i].start < spans[i - 1].end) throw new EditError(`${file}: two edits overlap`);
  }
  let out = text;
  for (const s of spans.reverse()) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}
