// Fixture-driven detector checks: exact events for real tool output.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { scanText } from '../../shared/detect/scanner';
import type { ErrorEvent } from '../../shared/detect/detector';

export type Expected = Partial<
  Pick<ErrorEvent, 'tool' | 'category' | 'severity' | 'message' | 'file' | 'line' | 'column'>
> & { data?: Record<string, string | undefined> };

export function fixture(name: string): string {
  return readFileSync(path.join(__dirname, '../fixtures', name), 'utf8');
}

export function eventsOf(text: string): ErrorEvent[] {
  return scanText(text).events;
}

/** Asserts the fixture yields exactly these events, in order (each compared on the fields given). */
export function expectEvents(name: string, expected: Expected[]): void {
  const events = eventsOf(fixture(name));
  expect(events.map((e) => `${e.tool}/${e.category}: ${e.message}`)).toHaveLength(expected.length);
  events.forEach((e, i) => expect(e, `${name} event ${i}`).toMatchObject(expected[i]));
}
