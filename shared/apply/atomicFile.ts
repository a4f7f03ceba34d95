// Replacing a file so that a crash at any moment leaves either the old or the new content, never a mix.
import { randomBytes } from 'node:crypto';
import { chmod, open, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

/** Flushes a file or directory to disk (best effort: some file systems refuse fsync on directories). */
export async function syncPath(p: string): Promise<void> {
  const fd = await open(p, 'r').catch(() => undefined);
  if (!fd) return;
  try {
    await fd.sync();
  } catch {
    // The rename stays atomic without it.
  } finally {
    await fd.close();
  }
}

/** Writes `content` with `mode` to a temporary file beside `file`, flushes it, then renames it over `file`. */
export async function replaceFileAtomic(file: string, content: Buffer | string, mode: number): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.heal-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, { mode, flag: 'wx' });
    await chmod(tmp, mode); // writeFile's mode is filtered by the umask.
    await syncPath(tmp);
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncPath(path.dirname(file));
}

/** Removes temporary files a killed `replaceFileAtomic` may have left beside `file`. */
export async function removeStaleTemps(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.heal-`;
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix) && n.endsWith('.tmp')).map((n) => unlink(path.join(dir, n)).catch(() => undefined)));
}
