// The embedded store: one lowdb JSON document, atomic writes (temp + rename), a cross-process lock,
// and a re-read under the lock before every write, so concurrent writers never lose records.
import { copyFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { DataFile } from 'lowdb/node';
import * as lockfile from 'proper-lockfile';
import { emptyStore, storeDataSchema, type StoreData } from './schema';
import { StoreCorruptError, StoreError } from './errors';

export const STORE_FILE = 'store.json';

export interface StoreLocationOptions {
  /** `--store` flag. */
  store?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** `--store`, then `HEAL_STORE`, then `.heal/` in the working directory. */
export function resolveStoreDir(options: StoreLocationOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const chosen = options.store ?? (options.env ?? process.env).HEAL_STORE;
  return path.resolve(cwd, chosen && chosen.length > 0 ? chosen : '.heal');
}

class InvalidDocument extends Error {}

function parseDocument(text: string): StoreData {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InvalidDocument(`not JSON: ${(e as Error).message}`);
  }
  const parsed = storeDataSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidDocument(`${issue.path.join('.') || 'document'}: ${issue.message}`);
  }
  return parsed.data;
}

export class LocalStore {
  readonly file: string;
  /** lowdb's file adapter: every read parses the file afresh, every write is atomic (temp + rename). */
  private readonly adapter: DataFile<StoreData>;

  constructor(readonly dir: string) {
    this.file = path.join(dir, STORE_FILE);
    this.adapter = new DataFile<StoreData>(this.file, { parse: parseDocument, stringify: (d) => JSON.stringify(d) });
  }

  /** Opens the store for the CLI's options (see resolveStoreDir). */
  static at(options: StoreLocationOptions = {}): LocalStore {
    return new LocalStore(resolveStoreDir(options));
  }

  get backupsDir(): string {
    return path.join(this.dir, 'backups');
  }

  /** A validated snapshot of the document, parsed afresh (nobody else holds it; no lock, never blocks writers). */
  async read(): Promise<StoreData> {
    try {
      return (await this.adapter.read()) ?? emptyStore();
    } catch (e) {
      if (e instanceof InvalidDocument) {
        const backup = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        await copyFile(this.file, backup).catch(() => undefined);
        throw new StoreCorruptError(this.file, backup, e.message);
      }
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw this.folderError(e);
      throw new StoreError(`Cannot read the Heal store ${this.file}: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Why the store folder cannot hold the store, for an error from creating or reading in it. */
  private folderError(e: unknown): StoreError {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'it is a file, not a folder (--store and HEAL_STORE name the folder that holds store.json)'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'no permission to write there'
          : (e as Error).message;
    return new StoreError(`Cannot use ${this.dir} as the Heal store: ${why}`, { cause: e });
  }

  /** Runs `mutate` on the freshest document under the cross-process lock and writes the result atomically. */
  async update<T>(mutate: (data: StoreData) => T | Promise<T>): Promise<T> {
    await mkdir(this.dir, { recursive: true }).catch((e: unknown) => {
      throw this.folderError(e);
    });
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.file, {
        realpath: false,
        stale: 10_000,
        update: 2_000,
        retries: { retries: 2000, factor: 1.2, minTimeout: 2, maxTimeout: 50, randomize: true },
      });
    } catch (e) {
      throw new StoreError(
        `The Heal store ${this.file} is locked by another process (${(e as Error).message}). If no Heal process is running, remove ${this.file}.lock.`,
        { cause: e },
      );
    }
    try {
      const data = await this.read();
      const result = await mutate(data);
      await this.adapter.write(data);
      return result;
    } finally {
      await release().catch(() => undefined);
    }
  }
}
