import { StoreValueError } from '../errors.ts';

// PostgreSQL binary COPY format (PostgreSQL docs, "COPY — File Formats — Binary Format"): a header, then per row
// an int16 field count and per field an int32 byte length (−1 for NULL) and the value in the type's binary send
// format (network byte order), then an int16 −1 trailer. The server skips all text parsing, which made COPY of
// full-mode ticks about 1.7× faster on PostgreSQL than the text format (docs/BENCHMARKS.md "ingest").

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
const TWO_POW_32 = 4_294_967_296;
/** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix epoch ms. */
const PG_EPOCH_MS = 946_684_800_000;
/** OID of int8 (array element type). */
const INT8_OID = 20;

/** Builds rows of binary COPY data in one growing buffer. */
export class CopyBinaryWriter {
  #bytes: Uint8Array<ArrayBuffer>;
  #view: DataView;
  #length = 0;

  /** Starts the data (writes the header) with room for `initialBytes`. */
  constructor(initialBytes = 1 << 16) {
    this.#bytes = new Uint8Array(Math.max(64, initialBytes));
    this.#view = new DataView(this.#bytes.buffer);
    this.#bytes.set(SIGNATURE, 0);
    this.#view.setInt32(11, 0); // flags: no OIDs
    this.#view.setInt32(15, 0); // no header extension
    this.#length = 19;
  }

  /** Ends the data (writes the trailer) and returns it. */
  finish(): Uint8Array<ArrayBuffer> {
    this.#room(2);
    this.#view.setInt16(this.#length, -1);
    this.#length += 2;
    return this.#bytes.subarray(0, this.#length);
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): void {
    this.#room(2);
    this.#view.setInt16(this.#length, fields);
    this.#length += 2;
  }

  /** Writes NULL. */
  nullValue(): void {
    this.#room(4);
    this.#view.setInt32(this.#length, -1);
    this.#length += 4;
  }

  /** Writes a text value as UTF-8. */
  text(value: string): void {
    this.#room(4 + value.length * 3);
    const start = this.#length + 4;
    let at = start;
    const b = this.#bytes;
    let ascii = true;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 128) {
        ascii = false;
        break;
      }
      b[at++] = c;
    }
    if (!ascii) at = start + new TextEncoder().encodeInto(value, b.subarray(start)).written;
    this.#view.setInt32(this.#length, at - start);
    this.#length = at;
  }

  /** Writes a boolean. */
  bool(value: boolean): void {
    this.#room(5);
    this.#view.setInt32(this.#length, 1);
    this.#bytes[this.#length + 4] = value ? 1 : 0;
    this.#length += 5;
  }

  /** Writes a safe integer as int8; throws `StoreValueError` naming `column` otherwise. */
  int8(value: number, column: string): void {
    this.#room(12);
    this.#view.setInt32(this.#length, 8);
    this.#length += 4;
    this.#int8Bits(value, column);
  }

  /** Writes an optional safe integer as int8 (null → NULL). */
  int8OrNull(value: number | null, column: string): void {
    if (value === null) this.nullValue();
    else this.int8(value, column);
  }

  /** Writes an epoch-ms instant as timestamptz (microseconds since 2000-01-01 UTC). */
  timestamptz(epochMs: number): void {
    if (!Number.isSafeInteger(epochMs)) {
      throw new StoreValueError(`timestamp ${epochMs} is not an integer epoch ms`);
    }
    this.int8((epochMs - PG_EPOCH_MS) * 1000, 'timestamp in microseconds');
  }

  /** Writes an optional instant (null → NULL). */
  timestamptzOrNull(epochMs: number | null): void {
    if (epochMs === null) this.nullValue();
    else this.timestamptz(epochMs);
  }

  /**
   * Starts a one-dimensional int8[] value of `count` elements (no NULLs); write each element with `int8`, whose
   * length-prefixed form is exactly an array element's.
   */
  int8ArrayHeader(count: number): void {
    this.#room(24);
    const v = this.#view;
    const at = this.#length;
    if (count === 0) {
      v.setInt32(at, 12);
      v.setInt32(at + 4, 0); // no dimensions: the empty array
      v.setInt32(at + 8, 0);
      v.setInt32(at + 12, INT8_OID);
      this.#length = at + 16;
      return;
    }
    v.setInt32(at, 20 + count * 12);
    v.setInt32(at + 4, 1); // one dimension
    v.setInt32(at + 8, 0); // no NULL elements
    v.setInt32(at + 12, INT8_OID);
    v.setInt32(at + 16, count);
    v.setInt32(at + 20, 1); // lower bound
    this.#length = at + 24;
  }

  #int8Bits(value: number, column: string): void {
    if (!Number.isSafeInteger(value)) throw new StoreValueError(`${column} ${value} is not a safe integer`);
    const high = Math.floor(value / TWO_POW_32);
    this.#view.setInt32(this.#length, high);
    this.#view.setUint32(this.#length + 4, value - high * TWO_POW_32);
    this.#length += 8;
  }

  #room(extra: number): void {
    const need = this.#length + extra;
    if (need <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }
}
