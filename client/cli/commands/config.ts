import type { Command } from 'commander';
import {
  configFile,
  configSchema,
  loadConfig,
  saveConfig,
  type ConfigKey,
  type HealConfig,
} from '../../../shared/config';
import { parseContact } from '../../../shared/report/consent';
import type { CliEnv } from '../main';
import { CliError, table } from '../output';

const KEYS = Object.keys(configSchema.shape) as ConfigKey[];
const SECRET = /token|key/i;

function checkKey(key: string): ConfigKey {
  if ((KEYS as string[]).includes(key)) return key as ConfigKey;
  throw new CliError(`heal config: unknown key "${key}"; known keys: ${KEYS.join(', ')}`);
}

/** A value from the command line in the key's type (numbers stay numbers). */
function coerce(key: ConfigKey, raw: string): HealConfig[ConfigKey] {
  const candidates: unknown[] = [raw];
  if (/^-?\d+(\.\d+)?$/.test(raw)) candidates.unshift(Number(raw));
  for (const value of candidates) {
    const r = configSchema.shape[key].safeParse(value);
    if (r.success) return r.data as HealConfig[ConfigKey];
  }
  const issue = configSchema.shape[key].safeParse(raw).error?.issues[0];
  throw new CliError(`heal config: "${raw}" is not a valid ${key}${issue ? `: ${issue.message}` : ''}`);
}

const shown = (key: string, value: unknown) =>
  SECRET.test(key) && typeof value === 'string' ? `${value.slice(0, 4)}… (hidden)` : String(value);

export function register(program: Command, env: CliEnv): void {
  const config = program
    .command('config')
    .description(`Heal's user configuration (kept outside any repository, readable only by you)`);
  config
    .command('list', { isDefault: true })
    .description('every key that is set')
    .action(async () => {
      const out = env.output();
      const c = await loadConfig().catch((e: Error) => {
        throw new CliError(`heal config: ${e.message}`);
      });
      if (out.json)
        out.printJson(Object.fromEntries(Object.entries(c).map(([k, v]) => [k, SECRET.test(k) ? '(hidden)' : v])));
      else
        out.line(
          Object.keys(c).length
            ? table(
                Object.entries(c).map(([k, v]) => [k, shown(k, v)]),
                ['KEY', 'VALUE'],
              )
            : `nothing set (${configFile()})`,
        );
    });
  config
    .command('get')
    .argument('<key>')
    .action(async (key: string) => {
      const k = checkKey(key);
      const value = (await loadConfig())[k];
      if (value === undefined) throw new CliError(`heal config: ${k} is not set`, 1);
      env.output().line(String(value));
    });
  config
    .command('set')
    .description('set a key, e.g. heal config set consentLevel standard, heal config set contact @octocat')
    .argument('<key>')
    .argument('<value>')
    .action(async (key: string, raw: string) => {
      const c = await loadConfig();
      if (key === 'contact') {
        // One argument for the preference: an e-mail address, @handle or none.
        let contact;
        try {
          contact = parseContact(raw);
        } catch (e) {
          throw new CliError(`heal config: ${(e as Error).message}`);
        }
        c['contact.kind'] = contact.kind;
        if (contact.kind === 'none') delete c['contact.value'];
        else c['contact.value'] = contact.value;
      } else {
        const k = checkKey(key);
        (c as Record<string, unknown>)[k] = coerce(k, raw);
      }
      await saveConfig(c);
      env.output().line(`heal config: ${key} set (${configFile()})`);
    });
  config
    .command('unset')
    .argument('<key>')
    .action(async (key: string) => {
      const k = checkKey(key);
      const c = await loadConfig();
      delete c[k];
      await saveConfig(c);
      env.output().line(`heal config: ${k} unset`);
    });
}
