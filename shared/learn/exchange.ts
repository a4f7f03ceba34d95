// Exchanging learned knowledge: patterns with their fixes and outcome stats, as a validated, portable document.
import { z } from 'zod';
import { fixSchema } from '../fix';
import { scrubOutgoing } from '../scrub';
import { patternSchema, type Pattern, type StoreData } from '../store/schema';
import { defineSection } from '../store/section';

export const EXCHANGE_VERSION = 1;

const exportedPatternSchema = patternSchema
  .pick({
    fingerprint: true,
    coarseFingerprint: true,
    tool: true,
    category: true,
    message: true,
    examples: true,
    counts: true,
    confidence: true,
    quarantined: true,
    ignored: true,
    firstSeen: true,
    lastSeen: true,
    lastOutcome: true,
  })
  .extend({ fixes: z.array(fixSchema) });
export type ExportedPattern = z.infer<typeof exportedPatternSchema>;

export const exchangeSchema = z
  .object({
    heal: z.literal('patterns'),
    version: z.literal(EXCHANGE_VERSION),
    exportedAt: z.string(),
    patterns: z.array(exportedPatternSchema.strict()),
  })
  .strict();
export type Exchange = z.infer<typeof exchangeSchema>;

/**
 * The export document; `scrub` (by default the scrubber for what leaves the machine: secrets, personal data, IP
 * addresses, host names) is applied to every free-text field and to the fixes.
 */
export function exportPatterns(
  data: StoreData,
  scrub: (text: string) => string = scrubOutgoing,
  at = new Date().toISOString(),
): Exchange {
  const patterns = Object.values(data.patterns).map((p): ExportedPattern => ({
    fingerprint: p.fingerprint,
    coarseFingerprint: p.coarseFingerprint,
    tool: p.tool,
    category: p.category,
    message: scrub(p.message),
    examples: p.examples.map((e) => scrub(e)),
    counts: p.counts,
    confidence: p.confidence,
    quarantined: p.quarantined,
    ignored: p.ignored,
    firstSeen: p.firstSeen,
    lastSeen: p.lastSeen,
    ...(p.lastOutcome ? { lastOutcome: p.lastOutcome } : {}),
    fixes: p.fixes.map((f) => fixSchema.parse(JSON.parse(scrub(JSON.stringify(f))))),
  }));
  return { heal: 'patterns', version: EXCHANGE_VERSION, exportedAt: at, patterns };
}

export class ImportError extends Error {
  override name = 'ImportError';
}

/** Validates an import document; throws with the first problem's location. */
export function parseExchange(raw: unknown, source: string): Exchange {
  const parsed = exchangeSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ImportError(
      `${source} is not a Heal export: ${issue.path.join('.') || 'document'}: ${issue.message}. Nothing was imported.`,
    );
  }
  return parsed.data;
}

export interface ImportSummary {
  added: number;
  merged: number;
}

/**
 * What an import brought in, per fingerprint: the fixes not yet verified here, and the stats the export claimed.
 * Imported knowledge is never trusted on its word: its fixes are not applied automatically until one of them was
 * verified by re-running in this workspace, and the claimed counts are kept for display only.
 */
export const importedKnowledge = defineSection(
  'importedKnowledge',
  z.record(
    z.string(),
    z.object({
      importedAt: z.string(),
      /** Fix ids that came from an import and were not verified here since. */
      unverifiedFixIds: z.array(z.string()),
      /** The counts and confidence the exported file claimed. */
      claimed: z.object({ counts: patternSchema.shape.counts, confidence: z.number() }).optional(),
    }),
  ),
  () => ({}),
);

/** Whether a fix came from `heal import` and has not been verified by a re-run here since. */
export function isUnverifiedImport(data: StoreData, fixId: string): boolean {
  return Object.values(importedKnowledge.get(data)).some((k) => k.unverifiedFixIds.includes(fixId));
}

/** A fix verified here is local knowledge from now on. */
export function markVerifiedHere(data: StoreData, fixId: string): void {
  const all = importedKnowledge.get(data);
  if (!Object.values(all).some((k) => k.unverifiedFixIds.includes(fixId))) return;
  for (const k of Object.values(all)) k.unverifiedFixIds = k.unverifiedFixIds.filter((id) => id !== fixId);
  importedKnowledge.set(data, all);
}

/**
 * New patterns are added with no local outcomes (fixed/failed 0, confidence 0: the file's claims are kept aside
 * in `importedKnowledge`); known ones gain the imported fixes (local counts and flags are kept). Every imported
 * fix is marked unverified, so auto-apply leaves it alone until it was verified here.
 */
export function importPatterns(data: StoreData, doc: Exchange, at = new Date().toISOString()): ImportSummary {
  let added = 0;
  let merged = 0;
  const knowledge = importedKnowledge.get(data);
  for (const p of doc.patterns) {
    const local = data.patterns[p.fingerprint];
    const entry = knowledge[p.fingerprint] ?? { importedAt: at, unverifiedFixIds: [] };
    const imported: string[] = [];
    if (!local) {
      const { lastOutcome: _claimedOutcome, ...rest } = p;
      const pattern: Pattern = {
        ...rest,
        counts: { seen: p.counts.seen, fixed: 0, failed: 0 },
        confidence: 0,
        history: [],
        daily: {},
        commands: [],
        examples: p.examples.slice(0, 5),
      };
      data.patterns[p.fingerprint] = pattern;
      imported.push(...pattern.fixes.map((f) => f.id));
      entry.claimed = { counts: p.counts, confidence: p.confidence };
      added++;
    } else {
      for (const fix of p.fixes) {
        if (local.fixes.some((f) => f.id === fix.id)) continue;
        local.fixes.push(fix);
        imported.push(fix.id);
      }
      local.fixes = local.fixes.slice(0, 5);
      merged++;
    }
    if (imported.length === 0 && !knowledge[p.fingerprint]) continue;
    entry.importedAt = at;
    entry.unverifiedFixIds = [...new Set([...entry.unverifiedFixIds, ...imported])];
    knowledge[p.fingerprint] = entry;
  }
  importedKnowledge.set(data, knowledge);
  return { added, merged };
}
