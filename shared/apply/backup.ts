// Backups taken before every apply: each file's content and mode (or its absence), with a manifest written last,
// so a manifest on disk always describes a complete backup.
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, readlink, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { replaceFileAtomic, replaceSymlinkAtomic, resolveLinks, syncPath } from './atomicFile';

export const MANIFEST = 'manifest.json';

const entrySchema = z.object({
  /** Absolute path of the original file. */
  path: z.string(),
  existed: z.boolean(),
  mode: z.number().int().optional(),
  sha256: z.string().optional(),
  /** File name of the saved copy inside the backup folder. */
  blob: z.string().optional(),
  /** The path was a symbolic link to this (its target is backed up as an entry of its own). */
  symlink: z.string().optional(),
});
export const manifestSchema = z.object({ id: z.string(), createdAt: z.string(), entries: z.array(entrySchema) });
export type BackupManifest = z.infer<typeof manifestSchema>;
export type BackupEntry = z.infer<typeof entrySchema>;

export function sha256Hex(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

export class BackupError extends Error {
  override name = 'BackupError';
}

export function backupFolder(backupsDir: string, applyId: string): string {
  return path.join(backupsDir, applyId);
}

/** A file's content taken earlier (the editor changed the file before Heal could copy it). */
export interface KnownContent {
  path: string;
  content: Buffer;
  mode: number;
}

/**
 * What is at `file` now, to tell later whether it changed: `sha256:<hex>` for a file, `link:<target>` for a
 * symbolic link, `dir` for a folder, null when nothing is there.
 */
export async function fileState(file: string): Promise<string | null> {
  const info = await lstat(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
    throw e;
  });
  if (!info) return null;
  if (info.isSymbolicLink()) return `link:${await readlink(file)}`;
  if (info.isDirectory()) return 'dir';
  return `sha256:${sha256Hex(await readFile(file))}`;
}

/**
 * Copies `files` (absolute paths, or contents taken earlier) into `<backupsDir>/<applyId>/`; the manifest last.
 * A symbolic link is recorded as a link, and the file it points at is backed up too. Folders are left out.
 */
export async function createBackup(
  backupsDir: string,
  applyId: string,
  files: Array<string | KnownContent>,
  at = new Date().toISOString(),
): Promise<BackupManifest> {
  const dir = backupFolder(backupsDir, applyId);
  await mkdir(dir, { recursive: true });
  const entries: BackupEntry[] = [];
  const unique = new Map(files.map((f) => [typeof f === 'string' ? f : f.path, f]));
  for (const item of [...unique.values()]) {
    if (typeof item !== 'string') continue;
    const info = await lstat(item).catch(() => undefined);
    if (!info?.isSymbolicLink()) continue;
    const target = await resolveLinks(item).catch(() => undefined);
    if (target && !unique.has(target)) unique.set(target, target);
  }
  for (const [i, item] of [...unique.values()].entries()) {
    const file = typeof item === 'string' ? item : item.path;
    if (typeof item === 'string') {
      const info = await lstat(file).catch(() => undefined);
      if (info?.isDirectory()) continue;
      if (info?.isSymbolicLink()) {
        entries.push({ path: file, existed: true, symlink: await readlink(file) });
        continue;
      }
    }
    let content: Buffer;
    let mode: number;
    try {
      [content, mode] =
        typeof item === 'string'
          ? await Promise.all([readFile(file), stat(file).then((s) => s.mode & 0o7777)])
          : [item.content, item.mode];
    } catch (e) {
      // Nothing there (ENOTDIR: a parent is a file): a file the apply creates is removed on restore.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') {
        entries.push({ path: file, existed: false });
        continue;
      }
      throw new BackupError(`Cannot back up ${file}: ${(e as Error).message}`, { cause: e });
    }
    const blob = `${i}.bin`;
    await writeFile(path.join(dir, blob), content, { mode: 0o600 });
    await syncPath(path.join(dir, blob));
    entries.push({ path: file, existed: true, mode, sha256: sha256Hex(content), blob });
  }
  const manifest: BackupManifest = { id: applyId, createdAt: at, entries };
  await replaceFileAtomic(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2), 0o600);
  return manifest;
}

/** The manifest of a backup, or undefined when the backup never completed. Copies are checked against their hashes. */
export async function readBackup(backupsDir: string, applyId: string): Promise<BackupManifest | undefined> {
  const file = path.join(backupFolder(backupsDir, applyId), MANIFEST);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BackupError(`The backup manifest ${file} is unreadable: ${(e as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new BackupError(`The backup manifest ${file} is invalid: ${parsed.error.issues[0]?.message}`);
  for (const entry of parsed.data.entries) {
    if (!entry.existed || entry.symlink !== undefined) continue;
    const content = await readFile(path.join(backupFolder(backupsDir, applyId), entry.blob ?? '')).catch(
      () => undefined,
    );
    if (!content || sha256Hex(content) !== entry.sha256)
      throw new BackupError(
        `The backup of apply ${applyId} is damaged: the copy of ${entry.path} is missing or changed. Nothing was restored.`,
      );
  }
  return parsed.data;
}

/** Puts every file (or only those in `only`) back exactly, content and mode; files that did not exist before are removed. */
export async function restoreBackup(
  backupsDir: string,
  manifest: BackupManifest,
  only?: ReadonlySet<string>,
): Promise<void> {
  const dir = backupFolder(backupsDir, manifest.id);
  for (const entry of manifest.entries) {
    if (only && !only.has(entry.path)) continue;
    if (!entry.existed) {
      const now = await lstat(entry.path).catch(() => undefined);
      // A folder made since is removed only when empty: Heal never deletes what it did not back up.
      if (now?.isDirectory()) await rmdir(entry.path).catch(() => undefined);
      else if (now) await unlink(entry.path);
      continue;
    }
    if (entry.symlink !== undefined) {
      const now = await readlink(entry.path).catch(() => undefined);
      if (now !== entry.symlink) await replaceSymlinkAtomic(entry.path, entry.symlink);
      continue;
    }
    const content = await readFile(path.join(dir, entry.blob!));
    // The path was a file: it becomes that file again, even if a link was put there since.
    await replaceFileAtomic(entry.path, content, entry.mode ?? 0o644, { followLinks: false });
    if (sha256Hex(await readFile(entry.path)) !== entry.sha256)
      throw new BackupError(`Restoring ${entry.path} did not give back the original content.`);
  }
}

/** Deletes backup folders of applications no longer on record (the record list is bounded). */
export async function pruneBackups(backupsDir: string, keep: ReadonlySet<string>): Promise<number> {
  const entries = await readdir(backupsDir, { withFileTypes: true }).catch(() => []);
  const stale = entries.filter((e) => e.isDirectory() && !keep.has(e.name));
  await Promise.all(stale.map((e) => rm(path.join(backupsDir, e.name), { recursive: true, force: true })));
  return stale.length;
}
