/** Thrown when a journal line is not a well-formed kernel input; names the line (when known) and the field. */
export class JournalFormatError extends Error {
  override readonly name = 'JournalFormatError';
  /** The 1-based line number, or null when the caller did not give one. */
  readonly line: number | null;
  /** The path of the offending field, e.g. `tick.tick.depth.bids[2].qty`. */
  readonly field: string;

  /** Creates the error for `field` of `line`. */
  constructor(line: number | null, field: string, problem: string, options?: ErrorOptions) {
    super(`journal line ${line ?? '?'}: ${field === '' ? 'the line' : `field ${field}`} ${problem}`, options);
    this.line = line;
    this.field = field;
  }
}
