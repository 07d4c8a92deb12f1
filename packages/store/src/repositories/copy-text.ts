import { StoreValueError } from '../errors.ts';

// PostgreSQL COPY text format (PostgreSQL docs, "COPY — File Formats — Text Format"): columns separated by a tab,
// rows ended by a newline, NULL written as \N, and a backslash, tab, newline or carriage return inside a value
// escaped with a backslash.

/** The COPY text of a NULL value. */
export const COPY_NULL = '\\N';

const needsEscape = /[\\\t\n\r]/;

/** Returns `value` escaped for one column of COPY text. */
export function copyText(value: string): string {
  if (!needsEscape.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/**
 * Formats epoch-ms instants as ISO-8601 UTC text for timestamptz columns. Consecutive ticks share their second,
 * so the `YYYY-MM-DDTHH:MM:SS` prefix of the last second is cached (toISOString per value costs more than the rest
 * of a row's encoding).
 */
export class CopyTimestampFormatter {
  #second = Number.NaN;
  #prefix = '';

  /** Returns `epochMs` as `YYYY-MM-DDTHH:MM:SS.mmmZ`; throws unless it is a safe integer. */
  format(epochMs: number): string {
    if (!Number.isSafeInteger(epochMs))
      throw new StoreValueError(`timestamp ${epochMs} is not an integer epoch ms`);
    const ms = ((epochMs % 1000) + 1000) % 1000;
    const second = epochMs - ms;
    if (second !== this.#second) {
      this.#second = second;
      this.#prefix = new Date(second).toISOString().slice(0, 19);
    }
    return `${this.#prefix}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  }

  /** Returns an optional instant as COPY text (null → \N). */
  formatOrNull(epochMs: number | null): string {
    return epochMs === null ? COPY_NULL : this.format(epochMs);
  }
}
