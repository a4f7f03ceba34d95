// Replacing a file so that a crash at any moment leaves either the old or the new content, never a mix.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, open, readdir, readlink, rename, symlink, unlink, writeFile } from 'node:fs/promises';
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

/** Follows `file` while it is a symbolic link (also a dangling one), so writes go to the file it names. */
export async function resolveLinks(file: string): Promise<string> {
  let current = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    const info = await lstat(current).catch(() => undefined);
    if (!info?.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), await readlink(current));
  }
  throw Object.assign(new Error(`${file}: too many levels of symbolic links`), { code: 'ELOOP' });
}

/**
 * Writes `content` with `mode` to a temporary file beside `file`, flushes it, then renames it over `file`. When
 * `file` is a symbolic link, the file it points at is replaced and the link stays a link (unless `followLinks`
 * is false: then the link itself is replaced by the file).
 */
export async function replaceFileAtomic(
  link: string,
  content: Buffer | string,
  mode: number,
  options: { followLinks?: boolean } = {},
): Promise<void> {
  const file = options.followLinks === false ? link : await resolveLinks(link);
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

/** Makes `file` a symbolic link to `target`, atomically (a link made beside it is renamed over it). */
export async function replaceSymlinkAtomic(file: string, target: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.heal-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await symlink(target, tmp);
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncPath(path.dirname(file));
}

/** Removes temporary files a killed `replaceFileAtomic` may have left beside `file` (or the file it links to). */
export async function removeStaleTemps(link: string): Promise<void> {
  const resolved = await resolveLinks(link).catch(() => link);
  if (resolved !== path.resolve(link)) await removeStaleTemps(resolved);
  const file = link;
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.heal-`;
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => n.startsWith(prefix) && n.endsWith('.tmp'))
      .map((n) => unlink(path.join(dir, n)).catch(() => undefined)),
  );
}
