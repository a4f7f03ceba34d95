// User configuration for the CLI (`heal config`), kept outside any repository so tokens never get committed.
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';

export const configSchema = z
  .object({
    'remote.url': z.string().url().optional(),
    'remote.anonKey': z.string().optional(),
    /** The user's access token (JWT) for the shared pattern memory. */
    'remote.accessToken': z.string().optional(),
    'remote.project': z.string().optional(),
    'cost.dailyLimit': z.number().int().min(0).optional(),
    autoApply: z.enum(['off', 'safe']).optional(),
    'autoApply.minConfidence': z.number().min(0).max(1).optional(),
    'verify.timeoutSeconds': z.number().int().positive().optional(),
    consentLevel: z.enum(['minimal', 'standard', 'full']).optional(),
    'contact.kind': z.enum(['email', 'github', 'none']).optional(),
    'contact.value': z.string().optional(),
    'report.endpoint': z.string().url().optional(),
  })
  .strict();
export type HealConfig = z.infer<typeof configSchema>;
export type ConfigKey = keyof HealConfig;

/** `$HEAL_CONFIG_DIR`, else `$XDG_CONFIG_HOME/heal`, else `~/.config/heal`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HEAL_CONFIG_DIR) return path.resolve(env.HEAL_CONFIG_DIR);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'heal');
}

export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'config.json');
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export async function loadConfig(env: NodeJS.ProcessEnv = process.env): Promise<HealConfig> {
  const file = configFile(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return {};
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`Heal's configuration ${file} is not JSON (${(e as Error).message}). Fix or remove it.`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `Heal's configuration ${file} is invalid at ${issue.path.join('.') || 'top level'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/** Writes the whole configuration atomically, readable only by the user (it may hold a token). */
export async function saveConfig(config: HealConfig, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const valid = configSchema.parse(config);
  const file = configFile(env);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(valid, null, 2) + '\n', { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
