// The error_patterns row as the shared memory returns it, validated, and turned into the engine's Pattern.
import { z } from 'zod';
import { fixSchema, type Fix } from '../fix';
import type { Pattern } from '../store/schema';

export const patternRowSchema = z.object({
  project_id: z.string(),
  fingerprint: z.string(),
  coarse_fingerprint: z.string(),
  tool: z.string(),
  tool_family: z.string(),
  category: z.string(),
  message: z.string(),
  example: z.string().nullable(),
  fixes: z.array(z.unknown()),
  confidence: z.number().min(0).max(1),
  success_count: z.number().int().min(0),
  failure_count: z.number().int().min(0),
  occurrence_count: z.coerce.number().int().min(0),
  quarantined: z.boolean(),
  first_seen: z.string(),
  last_seen: z.string(),
});
export type PatternRow = z.infer<typeof patternRowSchema>;

/** A row's fixes that pass validation (one malformed fix does not hide the others). */
function validFixes(raw: unknown[]): Fix[] {
  return raw.flatMap((f) => {
    const parsed = fixSchema.safeParse(f);
    return parsed.success ? [parsed.data] : [];
  });
}

const iso = (t: string) => {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? t : d.toISOString();
};

export function patternFromRow(row: PatternRow): Pattern {
  return {
    fingerprint: row.fingerprint,
    coarseFingerprint: row.coarse_fingerprint,
    tool: row.tool,
    category: row.category,
    message: row.message,
    examples: row.example ? [row.example] : [],
    counts: { seen: row.occurrence_count, fixed: row.success_count, failed: row.failure_count },
    firstSeen: iso(row.first_seen),
    lastSeen: iso(row.last_seen),
    history: [],
    daily: {},
    fixes: validFixes(row.fixes),
    confidence: row.confidence,
    quarantined: row.quarantined,
    ignored: false,
    commands: [],
  };
}

/** Parses one row; undefined (not an exception) for a row that does not fit, so one bad row costs one pattern. */
export function parsePatternRow(raw: unknown): Pattern | undefined {
  const parsed = patternRowSchema.safeParse(raw);
  return parsed.success ? patternFromRow(parsed.data) : undefined;
}
