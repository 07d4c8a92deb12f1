/**
 * An incremental CSV parser (RFC 4180: quoted fields, `""` escapes, CRLF or LF): feed text chunks as they
 * arrive, get the complete records; a record split across chunks is completed by the next chunk.
 */
export class CsvStreamParser {
  #field = '';
  #record: string[] = [];
  #inQuotes = false;
  /** True right after a closing quote inside a quoted field (the next char decides: `"` escape or end). */
  #quotePending = false;
  #sawAny = false;

  /** Returns the records completed by `chunk`. */
  push(chunk: string): string[][] {
    const out: string[][] = [];
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i] as string;
      this.#sawAny = true;
      if (this.#inQuotes) {
        if (this.#quotePending) {
          this.#quotePending = false;
          if (ch === '"') {
            this.#field += '"';
            continue;
          }
          this.#inQuotes = false;
        } else if (ch === '"') {
          this.#quotePending = true;
          continue;
        } else {
          this.#field += ch;
          continue;
        }
      }
      if (ch === '"' && this.#field === '') {
        this.#inQuotes = true;
      } else if (ch === ',') {
        this.#record.push(this.#field);
        this.#field = '';
      } else if (ch === '\n') {
        this.#endRecord(out);
      } else if (ch !== '\r') {
        this.#field += ch;
      }
    }
    return out;
  }

  /** Returns the last record when the text did not end with a newline; throws on an unterminated quote. */
  end(): string[][] {
    if (this.#inQuotes && !this.#quotePending) throw new RangeError('CSV ends inside a quoted field');
    this.#inQuotes = false;
    this.#quotePending = false;
    const out: string[][] = [];
    if (this.#sawAny && (this.#field !== '' || this.#record.length > 0)) this.#endRecord(out);
    return out;
  }

  #endRecord(out: string[][]): void {
    this.#record.push(this.#field);
    this.#field = '';
    const record = this.#record;
    this.#record = [];
    // A blank line is not a record.
    if (!(record.length === 1 && record[0] === '')) out.push(record);
  }
}
