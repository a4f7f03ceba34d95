// Location of the team's evaluation corpora (beside the repository); HEAL_CORPORA overrides it.
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export function corporaDir(): string {
  const dir = process.env.HEAL_CORPORA ?? path.resolve(__dirname, '../../shared/corpora');
  if (!existsSync(dir))
    throw new Error(`Evaluation corpora not found at ${dir}; set HEAL_CORPORA to the corpora folder.`);
  return dir;
}
