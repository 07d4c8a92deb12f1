// A strict reader of parsed JSON objects for the journal codec: every read names the field path, unknown keys are
// refused, and numbers must be safe integers where the domain says so.
import { JournalFormatError } from './journal-format-error.ts';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** A JSON object being decoded, with its path and the line it came from. */
export class JsonReader {
  readonly #value: Readonly<Record<string, unknown>>;
  readonly #path: string;
  readonly #line: number | null;

  /** Wraps `value`, which must be a plain object with only `allowed` keys. */
  constructor(value: unknown, path: string, line: number | null, allowed: readonly string[]) {
    this.#path = path;
    this.#line = line;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new JournalFormatError(line, path, `is ${describe(value)}; expected an object`);
    }
    this.#value = value as Record<string, unknown>;
    for (const key of Object.keys(this.#value)) {
      if (!allowed.includes(key)) {
        throw new JournalFormatError(
          line,
          this.#at(key),
          `is not a known field (known: ${allowed.join(', ')})`,
        );
      }
    }
  }

  /** Returns the line number given at creation. */
  get line(): number | null {
    return this.#line;
  }

  /** Returns true when the key is present. */
  has(key: string): boolean {
    return Object.hasOwn(this.#value, key);
  }

  /** Returns the raw value of `key` (may be undefined). */
  raw(key: string): unknown {
    return this.#value[key];
  }

  /** Returns the path of `key` under this object. */
  path(key: string): string {
    return this.#at(key);
  }

  /** Throws a JournalFormatError about `key`. */
  fail(key: string, problem: string, cause?: unknown): never {
    throw new JournalFormatError(
      this.#line,
      this.#at(key),
      problem,
      cause === undefined ? undefined : { cause },
    );
  }

  /** Returns the string at `key`. */
  string(key: string): string {
    const v = this.#require(key);
    if (typeof v !== 'string') this.fail(key, `is ${describe(v)}; expected a string`);
    return v;
  }

  /** Returns the string at `key`, or null. */
  stringOrNull(key: string): string | null {
    return this.#require(key) === null ? null : this.string(key);
  }

  /** Returns the string at `key`, which must be one of `choices`. */
  oneOf<T extends string>(key: string, choices: readonly T[]): T {
    const v = this.string(key);
    if (!(choices as readonly string[]).includes(v)) {
      this.fail(key, `is ${describe(v)}; expected one of ${choices.join(', ')}`);
    }
    return v as T;
  }

  /** Returns the boolean at `key`. */
  boolean(key: string): boolean {
    const v = this.#require(key);
    if (typeof v !== 'boolean') this.fail(key, `is ${describe(v)}; expected true or false`);
    return v;
  }

  /** Returns the safe integer at `key`. */
  int(key: string): number {
    const v = this.#require(key);
    if (typeof v !== 'number' || !Number.isSafeInteger(v))
      this.fail(key, `is ${describe(v)}; expected an integer`);
    return v;
  }

  /** Returns the safe integer at `key`, or null. */
  intOrNull(key: string): number | null {
    return this.#require(key) === null ? null : this.int(key);
  }

  /** Returns the object at `key` as a reader allowing `allowed` keys. */
  object(key: string, allowed: readonly string[]): JsonReader {
    return new JsonReader(this.#require(key), this.#at(key), this.#line, allowed);
  }

  /** Returns the array at `key`. */
  array(key: string): readonly unknown[] {
    const v = this.#require(key);
    if (!Array.isArray(v)) this.fail(key, `is ${describe(v)}; expected an array`);
    return v;
  }

  #require(key: string): unknown {
    if (!Object.hasOwn(this.#value, key)) this.fail(key, 'is missing');
    return this.#value[key];
  }

  #at(key: string): string {
    if (key === '') return this.#path;
    return this.#path === '' ? key : `${this.#path}.${key}`;
  }
}
