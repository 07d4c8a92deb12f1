import type { InstrumentId } from '../model/instrument-id.ts';
import type { DataNamespace, JsonValue } from './repositories.ts';

/** Why a tick failed validation at ingest (the quarantine's reason code). */
export type QuarantineReason =
  | 'unknown-token'
  | 'non-positive-price'
  | 'off-tick-grid'
  | 'outside-circuit-band'
  | 'future-timestamp'
  | 'volume-decreased'
  | 'malformed';

/** Every quarantine reason code, in the order ingest checks them. */
export const QUARANTINE_REASONS: readonly QuarantineReason[] = [
  'malformed',
  'unknown-token',
  'non-positive-price',
  'off-tick-grid',
  'outside-circuit-band',
  'future-timestamp',
  'volume-decreased',
];

/** A tick that failed validation: kept with its reason, never stored as good and never silently dropped. */
export interface QuarantinedTick {
  /** Kite `instrument_token` of the packet. */
  readonly token: number;
  /** The instrument of the token, or null when the token is unknown. */
  readonly instrumentId: InstrumentId | null;
  /** The tick's time: exchange timestamp when present, else the receive time (epoch ms). */
  readonly ts: number;
  /** When the packet was received (epoch ms). */
  readonly receivedAt: number;
  readonly reasonCode: QuarantineReason;
  /** The failed rule with the values, e.g. `last price 157373 paise is not a multiple of tick 5 paise`. */
  readonly reason: string;
  /** The decoded tick as received. */
  readonly raw: JsonValue;
}

/** A quarantined tick as stored, with its row id. */
export interface StoredQuarantinedTick extends QuarantinedTick {
  readonly id: number;
}

/** Stores ticks that failed validation (table `tick_quarantine`), append-only. */
export interface TickQuarantineRepository {
  /** Appends the entries to `namespace` in one statement; returns how many were written. */
  append(namespace: DataNamespace, entries: readonly QuarantinedTick[]): Promise<number>;
  /** Returns entries received in [fromMs, toMs), oldest first, optionally of one reason only. */
  list(
    namespace: DataNamespace,
    fromMs: number,
    toMs: number,
    options?: { readonly reason?: QuarantineReason; readonly limit?: number },
  ): Promise<StoredQuarantinedTick[]>;
  /** Returns how many entries of each reason were received in [fromMs, toMs) (reasons with none are absent). */
  countByReason(
    namespace: DataNamespace,
    fromMs: number,
    toMs: number,
  ): Promise<Partial<Record<QuarantineReason, number>>>;
}
