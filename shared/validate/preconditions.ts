// Preconditions: an edit is applied only to the exact content it was computed from.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Fix } from '../fix';
import { sha256Hex } from '../apply/backup';

export interface PreconditionFailure {
  file: string;
  reason: string;
}

/** Files whose content no longer matches the hash the fix was computed from (empty: safe to apply). */
export async function checkPreconditions(fix: Fix, cwd: string): Promise<PreconditionFailure[]> {
  if (fix.kind !== 'edit') return [];
  const failures: PreconditionFailure[] = [];
  for (const file of new Set((fix.edits ?? []).map((e) => e.file))) {
    const hashes = new Set((fix.edits ?? []).filter((e) => e.file === file).map((e) => e.baseHash));
    let content: Buffer | undefined;
    try {
      content = await readFile(path.resolve(cwd, file));
    } catch {
      content = undefined;
    }
    const expected = [...hashes][0];
    if (hashes.size > 1) failures.push({ file, reason: 'its edits were computed from different versions of the file' });
    else if (content === undefined && expected) failures.push({ file, reason: 'the file no longer exists' });
    else if (content !== undefined && !expected)
      failures.push({ file, reason: 'the fix does not record which version of the file it was computed from' });
    else if (content !== undefined && expected && sha256Hex(content) !== expected)
      failures.push({ file, reason: 'the file changed since the fix was proposed' });
  }
  return failures;
}
