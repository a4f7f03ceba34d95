// Recent captured outputs, kept in memory so diagnostics and the Issues view can open them at the error.
// Bounded in count and size: a long session never grows the server.

export interface ArchivedOutput {
  id: string;
  text: string;
  /** Lines dropped from the front when the output was longer than the bound. */
  droppedLines: number;
  commandLine?: string;
  at: string;
}

export const OUTPUT_SCHEME = 'heal-output';

export class OutputArchive {
  private readonly outputs = new Map<string, ArchivedOutput>();
  private next = 1;

  constructor(
    private readonly maxOutputs = 20,
    private readonly maxChars = 256 * 1024,
  ) {}

  add(text: string, commandLine: string | undefined, at: string): ArchivedOutput {
    let kept = text;
    let droppedLines = 0;
    if (text.length > this.maxChars) {
      const cut = text.indexOf('\n', text.length - this.maxChars);
      kept = cut < 0 ? text.slice(-this.maxChars) : text.slice(cut + 1);
      droppedLines = countLines(text.slice(0, text.length - kept.length));
    }
    const entry = { id: String(this.next++), text: kept, droppedLines, commandLine, at };
    this.outputs.set(entry.id, entry);
    for (const id of this.outputs.keys()) {
      if (this.outputs.size <= this.maxOutputs) break;
      this.outputs.delete(id);
    }
    return entry;
  }

  get(id: string): ArchivedOutput | undefined {
    return this.outputs.get(id);
  }

  /** The `heal-output:` URI of an archived output and the 0-based line in it of 1-based output line `line`. */
  locate(entry: ArchivedOutput, line: number): { uri: string; line: number } {
    return {
      uri: `${OUTPUT_SCHEME}:/${entry.id}/${slug(entry.commandLine)}.log`,
      line: Math.max(0, line - 1 - entry.droppedLines),
    };
  }

  /** The archived output a `heal-output:` URI names. */
  resolve(uri: string): ArchivedOutput | undefined {
    const m = /^heal-output:\/(\d+)\//.exec(uri);
    return m ? this.outputs.get(m[1]) : undefined;
  }
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** A readable file name for the editor tab, from the command that printed the output. */
function slug(commandLine: string | undefined): string {
  return (
    (commandLine ?? 'output')
      .replace(/[^A-Za-z0-9_]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'output'
  );
}
