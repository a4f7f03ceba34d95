// Feature-owned sections of the store document, each with its own schema and default.
import type { z } from 'zod';
import type { StoreData } from './schema';
import { StoreError } from './errors';

export interface Section<T> {
  readonly name: string;
  get(data: StoreData): T;
  set(data: StoreData, value: T): void;
}

export function defineSection<S extends z.ZodTypeAny>(
  name: string,
  schema: S,
  initial: () => z.infer<S>,
): Section<z.infer<S>> {
  return {
    name,
    get(data) {
      const raw = data.sections[name];
      if (raw === undefined) return initial();
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        throw new StoreError(
          `The "${name}" section of the Heal store is invalid: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
        );
      }
      return parsed.data;
    },
    set(data, value) {
      data.sections[name] = value;
    },
  };
}
