// Runs a command as a child process, tees its output unchanged and scans it as it streams.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { Scan } from './detect/scanner';
import type { ErrorEvent } from './detect/detector';

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Kill the command after this many milliseconds (verification re-runs). */
  timeoutMs?: number;
  /** Scan the output (default true). */
  detect?: boolean;
  /** Keep the captured text (bounded) for reports and learning. */
  captureLimitBytes?: number;
}

export interface RunResult {
  commandLine: string;
  exitCode: number;
  signal?: string;
  timedOut: boolean;
  startedAt: number;
  durationMs: number;
  events: ErrorEvent[];
  /** The tail of the combined output, at most captureLimitBytes. */
  output: string;
}

/** Quotes one argument for display and for `sh -c`. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Splits a stream into whole lines for the scanner; output is never reordered within a stream. */
class LineFeeder {
  private carry = '';
  constructor(private readonly scan: Scan) {}
  push(text: string): void {
    const last = text.lastIndexOf('\n');
    if (last === -1) {
      this.carry += text;
      if (this.carry.length > 1 << 20) this.flush();
      return;
    }
    this.scan.write(this.carry + text.slice(0, last + 1));
    this.carry = text.slice(last + 1);
  }
  flush(): void {
    if (this.carry) this.scan.write(this.carry + '\n');
    this.carry = '';
  }
}

/**
 * Runs `argv` (one argument containing spaces runs through the shell, like `heal run -- "a && b"`).
 * Signals that would stop Heal are forwarded to the child instead, so Ctrl-C reaches the command.
 */
export function runCommand(argv: string[], options: RunOptions): Promise<RunResult> {
  const useShell = argv.length === 1 && /[\s;&|<>()$`*?~]/.test(argv[0]);
  const commandLine = argv.length === 1 ? argv[0] : argv.map(shellQuote).join(' ');
  const scan = new Scan({ context: { commandLine, cwd: options.cwd } });
  const detect = options.detect !== false;
  const limit = options.captureLimitBytes ?? 256 * 1024;
  let captured = '';
  const capture = (text: string) => {
    captured += text;
    if (captured.length > limit * 2) captured = captured.slice(-limit);
  };
  const startedAt = Date.now();

  return new Promise((resolve) => {
    const child = useShell
      ? spawn(argv[0], {
          cwd: options.cwd,
          env: options.env ?? process.env,
          shell: true,
          stdio: ['inherit', 'pipe', 'pipe'],
        })
      : spawn(argv[0], argv.slice(1), {
          cwd: options.cwd,
          env: options.env ?? process.env,
          stdio: ['inherit', 'pipe', 'pipe'],
        });
    const feeders = { out: new LineFeeder(scan), err: new LineFeeder(scan) };
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | undefined;

    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 2000).unref();
        }, options.timeoutMs)
      : undefined;

    // The sinks get the child's bytes exactly as written (binary output, invalid UTF-8, partial characters);
    // only a separate decoded copy, one decoder per stream so split characters join up, is captured and scanned.
    const decoders = { out: new StringDecoder('utf8'), err: new StringDecoder('utf8') };
    const wire = (
      stream: NodeJS.ReadableStream | null,
      sink: NodeJS.WritableStream | undefined,
      feeder: LineFeeder,
      decoder: StringDecoder,
    ) => {
      stream?.on('data', (chunk: Buffer) => {
        sink?.write(chunk);
        const text = decoder.write(chunk);
        if (!text) return;
        capture(text);
        if (detect) feeder.push(text);
      });
    };
    wire(child.stdout, options.stdout, feeders.out, decoders.out);
    wire(child.stderr, options.stderr, feeders.err, decoders.err);
    const drainDecoder = (decoder: StringDecoder, feeder: LineFeeder) => {
      const rest = decoder.end();
      if (!rest) return;
      capture(rest);
      if (detect) feeder.push(rest);
    };

    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = err;
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      for (const [s, h] of handlers) process.off(s, h);
      drainDecoder(decoders.out, feeders.out);
      drainDecoder(decoders.err, feeders.err);
      let exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1);
      if (spawnError) {
        // Behave like a shell: 127 when the program does not exist, 126 when it cannot be executed.
        const notFound = spawnError.code === 'ENOENT';
        exitCode = notFound ? 127 : 126;
        const message = notFound
          ? `heal: ${argv[0]}: command not found\n`
          : `heal: ${argv[0]}: ${spawnError.message}\n`;
        options.stderr?.write(message);
        capture(message);
        if (detect) feeders.err.push(message);
      }
      feeders.out.flush();
      feeders.err.flush();
      const result = detect ? scan.finish() : { events: [] };
      resolve({
        commandLine,
        exitCode,
        signal: signal ?? undefined,
        timedOut,
        startedAt,
        durationMs: Date.now() - startedAt,
        events: result.events,
        output: captured.length > limit ? captured.slice(-limit) : captured,
      });
    });
  });
}
