import { StoreValueError } from '../errors.ts';

// PostgreSQL COPY text format (PostgreSQL docs, "COPY — File Formats — Text Format"): columns separated by a tab,
// rows ended by a newline, NULL written as \N, and a backslash, tab, newline or carriage return inside a value
// escaped with a backslash. Rows are written straight into bytes: building them as strings spent most of the
// encoding time in the garbage collector (docs/BENCHMARKS.md "ingest").

const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;
const MINUS = 45;
const ZERO = 48;
const utf8 = new TextEncoder();

/** Returns `value` escaped for one column of COPY text (the string form of `CopyTextWriter.text`). */
export function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** Builds COPY text rows as UTF-8 bytes in one growing buffer. */
export class CopyTextWriter {
  #bytes: Uint8Array<ArrayBuffer>;
  #length = 0;
  readonly #digits = new Uint8Array(20);
  #second = Number.NaN;
  readonly #secondPrefix = new Uint8Array(19);

  /** Starts with room for `initialBytes` (it grows as needed). */
  constructor(initialBytes = 1 << 16) {
    this.#bytes = new Uint8Array(initialBytes);
  }

  /** Returns the bytes written so far (a view, valid until the next write). */
  bytes(): Uint8Array<ArrayBuffer> {
    return this.#bytes.subarray(0, this.#length);
  }

  /** Writes a column separator. */
  tab(): void {
    this.#room(1);
    this.#bytes[this.#length++] = TAB;
  }

  /** Ends a row. */
  newline(): void {
    this.#room(1);
    this.#bytes[this.#length++] = NEWLINE;
  }

  /** Writes NULL (`\N`). */
  nullValue(): void {
    this.#room(2);
    this.#bytes[this.#length++] = BACKSLASH;
    this.#bytes[this.#length++] = 78;
  }

  /** Writes an optional safe integer (null → NULL). */
  intOrNull(value: number | null, column: string): void {
    if (value === null) this.nullValue();
    else this.int(value, column);
  }

  /** Writes an optional instant (null → NULL). */
  timestampOrNull(epochMs: number | null): void {
    if (epochMs === null) this.nullValue();
    else this.timestamp(epochMs);
  }

  /** Writes one ASCII byte (a delimiter inside a value, e.g. `,` or `{`). */
  byte(code: number): void {
    this.#room(1);
    this.#bytes[this.#length++] = code;
  }

  /** Writes a string value, escaped; non-ASCII text is written as UTF-8. */
  text(value: string): void {
    this.#room(value.length * 2);
    const b = this.#bytes;
    let at = this.#length;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 128) {
        this.#length = at;
        this.#utf8(value.slice(i));
        return;
      }
      if (c === BACKSLASH || c === TAB || c === NEWLINE || c === 13) {
        b[at++] = BACKSLASH;
        b[at++] = c === BACKSLASH ? BACKSLASH : c === TAB ? 116 : c === NEWLINE ? 110 : 114;
      } else {
        b[at++] = c;
      }
    }
    this.#length = at;
  }

  /** Writes a safe integer in decimal; throws `StoreValueError` naming `column` otherwise. */
  int(value: number, column: string): void {
    if (!Number.isSafeInteger(value)) throw new StoreValueError(`${column} ${value} is not a safe integer`);
    this.#room(17);
    const b = this.#bytes;
    let n = value;
    if (n < 0) {
      b[this.#length++] = MINUS;
      n = -n;
    }
    if (n < 10) {
      b[this.#length++] = ZERO + n;
      return;
    }
    let k = 0;
    while (n > 0) {
      const q = Math.floor(n / 10);
      this.#digits[k++] = ZERO + (n - q * 10);
      n = q;
    }
    while (k > 0) b[this.#length++] = this.#digits[--k] as number;
  }

  /**
   * Writes an epoch-ms instant as `YYYY-MM-DDTHH:MM:SS.mmmZ`. Consecutive values mostly share their second, whose
   * prefix is cached.
   */
  timestamp(epochMs: number): void {
    if (!Number.isSafeInteger(epochMs)) {
      throw new StoreValueError(`timestamp ${epochMs} is not an integer epoch ms`);
    }
    const ms = ((epochMs % 1000) + 1000) % 1000;
    const second = epochMs - ms;
    if (second !== this.#second) {
      const iso = new Date(second).toISOString();
      if (iso.length !== 24) throw new StoreValueError(`timestamp ${epochMs} is outside years 0000–9999`);
      for (let i = 0; i < 19; i++) this.#secondPrefix[i] = iso.charCodeAt(i);
      this.#second = second;
    }
    this.#room(24);
    const b = this.#bytes;
    b.set(this.#secondPrefix, this.#length);
    let at = this.#length + 19;
    b[at++] = 46; // '.'
    b[at++] = ZERO + Math.floor(ms / 100);
    b[at++] = ZERO + (Math.floor(ms / 10) % 10);
    b[at++] = ZERO + (ms % 10);
    b[at++] = 90; // 'Z'
    this.#length = at;
  }

  #utf8(rest: string): void {
    const escaped = utf8.encode(copyText(rest));
    this.#room(escaped.length);
    this.#bytes.set(escaped, this.#length);
    this.#length += escaped.length;
  }

  #room(extra: number): void {
    const need = this.#length + extra;
    if (need <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }
}
