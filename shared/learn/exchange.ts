// Exchanging learned knowledge: patterns with their fixes and outcome stats, as a validated, portable document.
import { z } from 'zod';
import { fixSchema } from '../fix';
import { patternSchema, type Pattern, type StoreData } from '../store/schema';

export const EXCHANGE_VERSION = 1;

const exportedPatternSchema = patternSchema.pick({ fingerprint: true, coarseFingerprint: true, tool: true, category: true, message: true, examples: true, counts: true, confidence: true, quarantined: true, ignored: true, firstSeen: true, lastSeen: true, lastOutcome: true }).extend({ fixes: z.array(fixSchema) });
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

/** The export document; `scrub` is applied to every free-text field and to the fixes. */
export function exportPatterns(data: StoreData, scrub: (text: string) => string, at = new Date().toISOString()): Exchange {
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
    throw new ImportError(`${source} is not a Heal export: ${issue.path.join('.') || 'document'}: ${issue.message}. Nothing was imported.`);
  }
  return parsed.data;
}

export interface ImportSummary {
  added: number;
  merged: number;
}

/** New patterns are added; known ones gain the imported fixes (local counts and flags are kept). */
export function importPatterns(data: StoreData, doc: Exchange): ImportSummary {
  let added = 0;
  let merged = 0;
  for (const p of doc.patterns) {
    const local = data.patterns[p.fingerprint];
    if (!local) {
      const pattern: Pattern = { ...p, history: [], daily: {}, commands: [], examples: p.examples.slice(0, 5) };
      data.patterns[p.fingerprint] = pattern;
      added++;
      continue;
    }
    for (const fix of p.fixes) if (!local.fixes.some((f) => f.id === fix.id)) local.fixes.push(fix);
    local.fixes = local.fixes.slice(0, 5);
    merged++;
  }
  return { added, merged };
}
