export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** The store file exists but does not parse or validate; it has been copied aside and left untouched. */
export class StoreCorruptError extends StoreError {
  constructor(
    readonly file: string,
    readonly backup: string,
    reason: string,
  ) {
    super(
      `The Heal store ${file} is not valid (${reason}). It was left as it is and copied to ${backup}. Repair or remove it, then try again.`,
    );
    this.name = 'StoreCorruptError';
  }
}
