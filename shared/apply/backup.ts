// Backups taken before every apply: each file's content and mode (or its absence), with a manifest written last,
// so a manifest on disk always describes a complete backup.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { replaceFileAtomic, syncPath } from './atomicFile';

export const MANIFEST = 'manifest.json';

const entrySchema = z.object({
  /** Absolute path of the original file. */
  path: z.string(),
  existed: z.boolean(),
  mode: z.number().int().optional(),
  sha256: z.string().optional(),
  /** File name of the saved copy inside the backup folder. */
  blob: z.string().optional(),
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

/** Copies `files` (absolute paths, or contents taken earlier) into `<backupsDir>/<applyId>/`; the manifest last. */
export async function createBackup(backupsDir: string, applyId: string, files: Array<string | KnownContent>, at = new Date().toISOString()): Promise<BackupManifest> {
  const dir = backupFolder(backupsDir, applyId);
  await mkdir(dir, { recursive: true });
  const entries: BackupEntry[] = [];
  const unique = [...new Map(files.map((f) => [typeof f === 'string' ? f : f.path, f])).values()];
  for (const [i, item] of unique.entries()) {
    const file = typeof item === 'string' ? item : item.path;
    let content: Buffer;
    let mode: number;
    try {
      [content, mode] = typeof item === 'string' ? await Promise.all([readFile(file), stat(file).then((s) => s.mode & 0o7777)]) : [item.content, item.mode];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
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
  if (!parsed.success) throw new BackupError(`The backup manifest ${file} is invalid: ${parsed.error.issues[0]?.message}`);
  for (const entry of parsed.data.entries) {
    if (!entry.existed) continue;
    const content = await readFile(path.join(backupFolder(backupsDir, applyId), entry.blob ?? '')).catch(() => undefined);
    if (!content || sha256Hex(content) !== entry.sha256) throw new BackupError(`The backup of apply ${applyId} is damaged: the copy of ${entry.path} is missing or changed. Nothing was restored.`);
  }
  return parsed.data;
}

/** Puts every file (or only those in `only`) back exactly, content and mode; files that did not exist before are removed. */
export async function restoreBackup(backupsDir: string, manifest: BackupManifest, only?: ReadonlySet<string>): Promise<void> {
  const dir = backupFolder(backupsDir, manifest.id);
  for (const entry of manifest.entries) {
    if (only && !only.has(entry.path)) continue;
    if (!entry.existed) {
      await unlink(entry.path).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      continue;
    }
    const content = await readFile(path.join(dir, entry.blob!));
    await replaceFileAtomic(entry.path, content, entry.mode ?? 0o644);
    if (sha256Hex(await readFile(entry.path)) !== entry.sha256) throw new BackupError(`Restoring ${entry.path} did not give back the original content.`);
  }
}

/** Deletes backup folders of applications no longer on record (the record list is bounded). */
export async function pruneBackups(backupsDir: string, keep: ReadonlySet<string>): Promise<number> {
  const entries = await readdir(backupsDir, { withFileTypes: true }).catch(() => []);
  const stale = entries.filter((e) => e.isDirectory() && !keep.has(e.name));
  await Promise.all(stale.map((e) => rm(path.join(backupsDir, e.name), { recursive: true, force: true })));
  return stale.length;
}
