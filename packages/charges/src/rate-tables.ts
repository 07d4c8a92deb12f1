import type { ChargeSegment } from '@kitepilot/core';
import { ChargesDateError } from './charges-errors.ts';
import { parseRateTables } from './parse-rate-tables.ts';
import type { RateExchange, RateTable } from './rate-table.ts';

/** Dated rate tables: answers which table is in force for a segment × exchange on a trade date. */
export class RateTables {
  private readonly byPair = new Map<string, readonly RateTable[]>();
  private readonly tables: readonly RateTable[];

  /** Builds the lookup from validated tables (see parseRateTables). */
  constructor(tables: readonly RateTable[]) {
    this.tables = tables;
    for (const t of tables) {
      const key = `${t.exchange} ${t.segment}`;
      this.byPair.set(key, [...(this.byPair.get(key) ?? []), t]);
    }
    for (const [key, list] of this.byPair) {
      this.byPair.set(
        key,
        [...list].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1)),
      );
    }
  }

  /** Returns tables parsed and validated from a rate-data document (throws ChargesDataError). */
  static fromJson(data: unknown): RateTables {
    return new RateTables(parseRateTables(data));
  }

  /** Returns every table, in data order. */
  all(): readonly RateTable[] {
    return this.tables;
  }

  /**
   * Returns the table in force on `tradeDate` (IST `YYYY-MM-DD`): the latest one whose effectiveFrom is on or
   * before it. Throws ChargesDateError when the date precedes the first table of the pair.
   */
  tableFor(segment: ChargeSegment, exchange: RateExchange, tradeDate: string): RateTable {
    const list = this.byPair.get(`${exchange} ${segment}`) ?? [];
    let found: RateTable | undefined;
    for (const t of list) if (t.effectiveFrom <= tradeDate) found = t;
    if (found === undefined) {
      const first = list[0];
      throw new ChargesDateError(
        first === undefined
          ? `no rate table for ${exchange} ${segment}`
          : `trade date ${tradeDate} is before the first ${exchange} ${segment} rate table ` +
              `(${first.id}, effective ${first.effectiveFrom}); charges before that date are not modelled`,
      );
    }
    return found;
  }

  /** Returns the earliest effectiveFrom date over all tables. */
  firstDate(): string {
    return this.tables.map((t) => t.effectiveFrom).reduce((a, b) => (a < b ? a : b));
  }
}
