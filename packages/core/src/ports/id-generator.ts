import { ID_PREFIXES, parseId, type IdKind, type IdOf } from '../model/ids.ts';
import type { Clock } from './clock.ts';
import type { Random } from './random.ts';

/** Makes new ids; the only way core, engine and sim code gets one. */
export interface IdGenerator {
  /** Returns a new id of `kind`, never returned before by this generator. */
  next<K extends IdKind>(kind: K): IdOf<K>;
}

/**
 * A deterministic IdGenerator for backtests and tests: `acc_0000000001`, `acc_0000000002`, … with one
 * counter per kind. Unique only within one instance; live code needs TimeRandomIdGenerator.
 */
export class SequentialIdGenerator implements IdGenerator {
  readonly #counters = new Map<IdKind, number>();

  /** Returns the next id of `kind`. */
  next<K extends IdKind>(kind: K): IdOf<K> {
    const n = (this.#counters.get(kind) ?? 0) + 1;
    this.#counters.set(kind, n);
    return parseId(kind, `${ID_PREFIXES[kind]}_${String(n).padStart(10, '0')}`);
  }
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * An IdGenerator unique across restarts: body = epoch ms in base 36 (9 characters until the year
 * 5188) + 8 base-62 random characters (≈ 47.6 bits), 17 characters in all, so intent ids fit a Kite tag.
 * Sorting bodies of equal length sorts by creation time.
 */
export class TimeRandomIdGenerator implements IdGenerator {
  readonly #clock: Clock;
  readonly #random: Random;

  /** Creates a generator reading time from `clock` and randomness from `random`. */
  constructor(clock: Clock, random: Random) {
    this.#clock = clock;
    this.#random = random;
  }

  /** Returns a new id of `kind`. */
  next<K extends IdKind>(kind: K): IdOf<K> {
    let body = this.#clock.now().toString(36).padStart(9, '0');
    for (let i = 0; i < 8; i++) body += BASE62[this.#random.nextInt(62)];
    return parseId(kind, `${ID_PREFIXES[kind]}_${body}`);
  }
}
