// Scanning log files in parallel: worker threads each scan whole files (a file is never split, so a multi-line
// error never straddles two workers) and post the events back; the caller records them one file at a time.
// A worker runs `file`, a bundle that calls `runScanWorker()` (dist/scanWorker.js, from scanWorkerEntry.ts).
import { createReadStream } from 'node:fs';
import { Worker, parentPort } from 'node:worker_threads';
import type { ErrorEvent } from '../detect/detector';
import { looksLikeJUnit, scanJUnit } from '../detect/junit';
import { scanStream } from '../detect/scanner';

export interface ScanJob {
  file: string;
  from: number;
  /** The file's first bytes, to tell a JUnit report from a log. */
  head: string;
}

/** Scans one log file (from byte `from`) or JUnit report; `onBytes` is told how much was read. */
export async function scanLogFile(job: ScanJob, onBytes?: (n: number) => void): Promise<ErrorEvent[]> {
  const junit = looksLikeJUnit(job.file, job.head);
  const stream = junit
    ? createReadStream(job.file)
    : createReadStream(job.file, { start: job.from, highWaterMark: 512 << 10 });
  if (onBytes) stream.on('data', (chunk) => onBytes(chunk.length));
  return junit ? scanJUnit(stream) : (await scanStream(stream)).events;
}

export function runScanWorker(): void {
  parentPort!.on('message', async (job: ScanJob & { id: number }) => {
    try {
      const events = await scanLogFile(job, (n) => parentPort!.postMessage({ id: job.id, bytes: n }));
      parentPort!.postMessage({ id: job.id, events });
    } catch (e) {
      parentPort!.postMessage({ id: job.id, error: (e as Error).message });
    }
  });
}

/** A small pool of scan workers, each running `file`. */
export class ScanPool {
  private readonly workers: Worker[];
  private next = 0;
  private readonly pending = new Map<
    number,
    { resolve: (e: ErrorEvent[]) => void; reject: (e: Error) => void; onBytes?: (n: number) => void }
  >();

  constructor(file: string, size: number) {
    this.workers = Array.from({ length: size }, () => {
      // Scanning allocates many short-lived strings: a small young generation keeps each thread's memory low.
      const w = new Worker(file, {
        resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 96 },
      });
      w.on('message', (m: { id: number; bytes?: number; events?: ErrorEvent[]; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        if (m.bytes !== undefined) p.onBytes?.(m.bytes);
        else {
          this.pending.delete(m.id);
          if (m.error !== undefined) p.reject(new Error(m.error));
          else p.resolve(m.events ?? []);
        }
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      return w;
    });
  }

  scan(job: ScanJob, onBytes?: (n: number) => void): Promise<ErrorEvent[]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onBytes });
      this.workers[id % this.workers.length].postMessage({ ...job, id });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
