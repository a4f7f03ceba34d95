// Fix: what Heal can do about a failure. Shared by lookup, validation, apply and the store.
import { z } from 'zod';

export const textEditSchema = z.object({
  file: z.string(),
  /** Zero-based, end exclusive, as in LSP. */
  range: z.object({
    start: z.object({ line: z.number().int().min(0), character: z.number().int().min(0) }),
    end: z.object({ line: z.number().int().min(0), character: z.number().int().min(0) }),
  }),
  newText: z.string(),
  /** SHA-256 of the file content the edit was computed from. */
  baseHash: z.string().optional(),
});
export type TextEdit = z.infer<typeof textEditSchema>;

export const fixKinds = ['edit', 'command', 'replace', 'advice'] as const;
export type FixKind = (typeof fixKinds)[number];

export const fixSchema = z.object({
  id: z.string(),
  kind: z.enum(fixKinds),
  command: z.string().optional(),
  edits: z.array(textEditSchema).optional(),
  description: z.string(),
});
export type Fix = z.infer<typeof fixSchema>;
