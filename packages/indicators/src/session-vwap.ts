import { CompensatedSum } from './compensated-sum.ts';
import { ExactInt } from './exact-int.ts';
import { requireFinite } from './validate.ts';

/**
 * Volume-weighted average price of the current session: Σ price·volume / Σ volume, starting again whenever the
 * session key changes (callers pass the IST trading date). Exact for integer prices and volumes; once a
 * non-integer arrives the session's sums continue as compensated floats.
 */
export class SessionVwap {
  #session: string | number | null = null;
  #exact = true;
  readonly #priceVolume = new ExactInt();
  readonly #volume = new ExactInt();
  readonly #floatPriceVolume = new CompensatedSum();
  readonly #floatVolume = new CompensatedSum();
  #value: number | null = null;
  #count = 0;

  /** Adds a trade or bar (price, volume ≥ 0) of `session`; returns the session VWAP, null while Σ volume is 0. */
  update(price: number, volume: number, session: string | number): number | null {
    requireFinite(price, 'SessionVwap', 'price');
    requireFinite(volume, 'SessionVwap', 'volume');
    if (volume < 0) throw new RangeError(`SessionVwap volume must not be negative, got ${volume}`);
    if (typeof session === 'number' && !Number.isFinite(session)) {
      throw new RangeError(`SessionVwap session must be a string or a finite number, got ${session}`);
    }
    this.#count += 1;
    if (session !== this.#session) {
      this.#clearSession();
      this.#session = session;
    }
    if (this.#exact && Number.isSafeInteger(price) && Number.isSafeInteger(volume)) {
      this.#priceVolume.addProduct(price, volume);
      this.#volume.add(volume);
      const totalVolume = this.#volume.toNumber();
      this.#value = totalVolume === 0 ? null : this.#priceVolume.toNumber() / totalVolume;
      return this.#value;
    }
    if (this.#exact) {
      this.#exact = false;
      this.#floatPriceVolume.add(this.#priceVolume.toNumber());
      this.#floatVolume.add(this.#volume.toNumber());
    }
    this.#floatPriceVolume.add(price * volume);
    this.#floatVolume.add(volume);
    const totalVolume = this.#floatVolume.value;
    this.#value = totalVolume === 0 ? null : this.#floatPriceVolume.value / totalVolume;
    return this.#value;
  }

  /** Returns the session key of the last update, or null before the first. */
  get session(): string | number | null {
    return this.#session;
  }

  /** Returns the last value, or null while the session has no volume. */
  get value(): number | null {
    return this.#value;
  }

  /** Returns whether a value is available. */
  get ready(): boolean {
    return this.#value !== null;
  }

  /** Returns how many updates have been seen since construction or the last reset (across sessions). */
  get count(): number {
    return this.#count;
  }

  /** Forgets every session. */
  reset(): void {
    this.#clearSession();
    this.#session = null;
    this.#count = 0;
  }

  #clearSession(): void {
    this.#exact = true;
    this.#priceVolume.reset();
    this.#volume.reset();
    this.#floatPriceVolume.reset();
    this.#floatVolume.reset();
    this.#value = null;
  }
}
