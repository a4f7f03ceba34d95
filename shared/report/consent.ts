// Consent for diagnostic reports: nothing is sent without a level chosen by the user, and a contact preference
// that is either nothing or a well-formed address.
import { z } from 'zod';

export const consentLevels = ['minimal', 'standard', 'full'] as const;
export type ConsentLevel = (typeof consentLevels)[number];

/** What each level adds, for prompts and documentation. */
export const CONSENT_DESCRIPTIONS: Record<ConsentLevel, string> = {
  minimal: 'tool, category, fingerprint and versions',
  standard: 'minimal + the scrubbed error message and the command name',
  full: 'standard + a scrubbed excerpt of the output and the environment (OS, shell, tool versions)',
};

export class ConsentError extends Error {
  override name = 'ConsentError';
}

export function parseConsentLevel(value: string): ConsentLevel {
  const v = value.trim().toLowerCase();
  if ((consentLevels as readonly string[]).includes(v)) return v as ConsentLevel;
  throw new ConsentError(`"${value}" is not a consent level; choose minimal, standard or full`);
}

export type Contact = { kind: 'none' } | { kind: 'email'; value: string } | { kind: 'github'; value: string };

const email = z.string().email();
// GitHub: 1–39 characters, letters, digits and single hyphens, not at either end.
const github = /^(?!-)(?!.*--)[A-Za-z0-9-]{1,39}(?<!-)$/;

/** `none`, an e-mail address, or `@handle` / `github:handle`. */
export function parseContact(value: string): Contact {
  const v = value.trim();
  if (v === '' || v.toLowerCase() === 'none') return { kind: 'none' };
  if (v.includes('@') && !v.startsWith('@')) {
    if (!email.safeParse(v).success) throw new ConsentError(`"${v}" is not a valid e-mail address`);
    return { kind: 'email', value: v };
  }
  const handle = v.replace(/^(?:@|github:)/i, '');
  if (!github.test(handle))
    throw new ConsentError(`"${v}" is not a GitHub handle (letters, digits and single hyphens, at most 39)`);
  return { kind: 'github', value: handle };
}
