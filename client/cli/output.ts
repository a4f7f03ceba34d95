// Terminal output for the CLI: colour only on a TTY without NO_COLOR, JSON as one document, documented exit codes.

/** Exit codes (documented in the README). `heal run` instead exits with the wrapped command's own code. */
export const ExitCode = {
  ok: 0,
  /** Failures found (`scan`), no suggestion (`suggest`), or the operation did not succeed. */
  findings: 1,
  usage: 2,
  /** The store is corrupt, locked or unreadable. */
  store: 3,
  /** Refused for a stated reason: dangerous fix, breaker open, precondition changed, untrusted, no consent. */
  refused: 4,
  /** Heal is disabled (`--no-heal`, HEAL_DISABLE=1). */
  disabled: 5,
} as const;

/** What a shell reports for a Unix tool stopped by SIGPIPE (128 + 13), e.g. `yes | head -1` under `pipefail`. */
export const BROKEN_PIPE_EXIT = 141;

let brokenPipeHandled = false;

/**
 * `heal status | head -3`: once the reader has gone, writing to stdout (or stderr) fails with EPIPE. Like other Unix
 * tools, Heal then stops quietly (exit 141) instead of dying with an unhandled 'error' stack trace. Other stream errors
 * are thrown as before. Installed once, when the CLI's output module loads (and by the `heal` entry itself).
 */
export function exitQuietlyOnBrokenPipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  if (brokenPipeHandled) return;
  brokenPipeHandled = true;
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(BROKEN_PIPE_EXIT);
    });
  }
}
exitQuietlyOnBrokenPipe();

export interface GlobalOptions {
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  store?: string;
  heal?: boolean;
}

export class Output {
  readonly color: boolean;
  constructor(
    readonly options: GlobalOptions,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.color = options.color !== false && !process.env.NO_COLOR && Boolean(stdout.isTTY) && !options.json;
  }

  get json(): boolean {
    return Boolean(this.options.json);
  }

  private paint(code: string, text: string): string {
    return this.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
  red = (t: string) => this.paint('31', t);
  yellow = (t: string) => this.paint('33', t);
  green = (t: string) => this.paint('32', t);
  dim = (t: string) => this.paint('2', t);
  bold = (t: string) => this.paint('1', t);

  /** Human output on stdout, suppressed by --quiet and --json. */
  line(text = ''): void {
    if (!this.options.quiet && !this.options.json) this.stdout.write(text + '\n');
  }
  /** Diagnostics on stderr (never suppressed: a warning must not vanish). */
  warn(text: string): void {
    this.stderr.write(text + '\n');
  }
  /** The machine-readable result on stdout. */
  printJson(value: unknown): void {
    this.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }
}

/** An error the CLI reports as one clear line with a chosen exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function table(rows: string[][], header?: string[]): string {
  const all = header ? [header, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return all
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '))
    .join('\n');
}
