/** Writes a deterministic mixed build/test log of about `targetBytes` to `file`; returns its size and error count. */
export function generate(
  file: string,
  targetBytes: number,
  options?: { errorEvery?: number; seed?: number },
): Promise<{ bytes: number; errors: number }>;
