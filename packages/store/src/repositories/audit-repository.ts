import type {
  AccountId,
  AuditEvent,
  AuditRepository,
  AuditVerification,
  JsonValue,
  NewAuditEvent,
} from '@kitepilot/core';
import type { SqlDriver } from '../driver/sql-driver.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { intParam, jsonParam, num, tsParam } from './sql-params.ts';

interface AuditRow {
  readonly seq: number;
  readonly account_id: string | null;
  readonly ts: number;
  readonly kind: string;
  readonly actor: string;
  readonly payload: JsonValue;
  readonly prev_hash: string;
  readonly hash: string;
}

const columns = 'seq, account_id, ts, kind, actor, payload, prev_hash, hash';

/** The prev_hash of the first record. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

// Any fixed key; appenders take it so that two of them never chain onto the same predecessor.
const auditLockKey = 4_851_170_226_014;

/**
 * Returns the hash of an audit record: sha256 (hex) of `prevHash`, a newline, and the canonical JSON of
 * `{ accountId, actor, kind, payload, seq, ts }` (ts in epoch ms).
 */
export function auditHash(prevHash: string, seq: number, event: NewAuditEvent): string {
  const record: JsonValue = {
    accountId: event.accountId,
    actor: event.actor,
    kind: event.kind,
    payload: event.payload,
    seq,
    ts: event.ts,
  };
  return sha256Hex(`${prevHash}\n${canonicalJson(record)}`);
}

function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    seq: num(row.seq, 'audit_events.seq'),
    accountId: row.account_id as AccountId | null,
    ts: num(row.ts, 'audit_events.ts'),
    kind: row.kind,
    actor: row.actor,
    payload: row.payload,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

// Rows per page while verifying, so that a long log is not read into memory at once.
const verifyPageSize = 1000;

/** How the chain was broken at its first break. */
export type AuditBreakKind = 'edited' | 'inserted' | 'deleted' | 'reordered' | 'truncated' | 'rewritten';

/** The latest seq and hash recorded outside the table (a checkpoint file, a daily pack): it catches tail deletion. */
export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
}

/** What `verifyChain` checks. */
export interface AuditVerifyOptions {
  /** First seq to check; its predecessor's stored hash is trusted as the start (default 1: from genesis). */
  readonly fromSeq?: number;
  /** Last seq to check (default: the end of the log). */
  readonly throughSeq?: number;
  /** A previously recorded seq and hash the log must still contain. */
  readonly anchor?: AuditAnchor | null;
}

/** The result of `verifyChain`. */
export type AuditChainVerification =
  | {
      readonly ok: true;
      readonly fromSeq: number;
      /** Records checked. */
      readonly count: number;
      /** The last record checked (fromSeq - 1 when none was). */
      readonly lastSeq: number;
      readonly lastHash: string;
      /** Whether an anchor was given and lay inside the checked range. */
      readonly anchorChecked: boolean;
    }
  | {
      readonly ok: false;
      readonly fromSeq: number;
      /** The first broken record. */
      readonly seq: number;
      readonly kind: AuditBreakKind;
      readonly reason: string;
      /** Records found intact before the break. */
      readonly count: number;
    };

/** Filters of `SqlAuditRepository.list`. */
export interface AuditListFilter {
  /** ts >= fromMs. */
  readonly fromMs?: number;
  /** ts < toMs. */
  readonly toMs?: number;
  /** An exact kind, or a prefix ending in `.*` (`order.*`). */
  readonly kind?: string;
  /** Only this account's records (plus system records when `includeSystem`). */
  readonly accountId?: AccountId;
  /** With `accountId`: also the records of no account (starts, config changes, stored kill switch). */
  readonly includeSystem?: boolean;
  readonly afterSeq?: number;
  readonly limit: number;
}

type Break = { readonly seq: number; readonly kind: AuditBreakKind; readonly reason: string };

// Renumbered records are looked for up to this many seqs away from where they were written.
const renumberReach = 16;

/**
 * Returns why `event`, found at seq `seq` after a record with hash `prevHash` (whose own prev_hash is
 * `prevPrevHash`), breaks the chain; `later` holds records stored after it.
 */
function classifyBreak(
  event: AuditEvent,
  seq: number,
  prevHash: string,
  prevPrevHash: string | null,
  later: readonly AuditEvent[],
): Break {
  const hashedAs = (s: number): boolean => auditHash(event.prevHash, s, event) === event.hash;
  if (event.prevHash === prevHash) {
    return {
      seq,
      kind: 'edited',
      reason: `record ${seq} was changed after it was written: its stored hash ${event.hash} does not match its content`,
    };
  }
  const successor = later.find((e) => e.hash === event.prevHash);
  if (successor !== undefined) {
    return {
      seq,
      kind: 'reordered',
      reason: `record ${seq} links to the hash of record ${successor.seq}, which is stored after it: records were reordered`,
    };
  }
  for (let gap = 1; gap <= renumberReach; gap++) {
    if (hashedAs(seq + gap)) {
      return {
        seq,
        kind: 'deleted',
        reason: `record ${seq} was written as record ${seq + gap}: ${gap} record(s) before it were deleted and the later ones renumbered`,
      };
    }
  }
  if (prevPrevHash !== null && event.prevHash === prevPrevHash && hashedAs(seq - 1)) {
    return {
      seq: seq - 1,
      kind: 'inserted',
      reason: `record ${seq - 1} was inserted: record ${seq} was written as record ${seq - 1} and links to record ${seq - 2}`,
    };
  }
  if (hashedAs(seq)) {
    return {
      seq: seq - 1,
      kind: 'edited',
      reason: `record ${seq - 1} was rewritten with a recomputed hash: record ${seq} still links to its original hash ${event.prevHash}`,
    };
  }
  if (later.length === 0) {
    return {
      seq,
      kind: 'inserted',
      reason: `record ${seq} does not belong to the chain (neither its prev_hash nor its hash fit): it was added outside the log`,
    };
  }
  return {
    seq,
    kind: 'edited',
    reason: `record ${seq} was changed: its prev_hash ${event.prevHash} is not the hash ${prevHash} of record ${seq - 1} and its hash does not match its content`,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Stores the append-only, hash-chained audit log in SQL (DESIGN.md invariant 8). */
export class SqlAuditRepository implements AuditRepository {
  readonly #driver: SqlDriver;

  constructor(driver: SqlDriver) {
    this.#driver = driver;
  }

  async append(event: NewAuditEvent): Promise<AuditEvent> {
    const [stored] = await this.appendMany([event]);
    return stored as AuditEvent;
  }

  /** Appends the records in order in one transaction (all or none) and returns them with their seqs and hashes. */
  async appendMany(events: readonly NewAuditEvent[]): Promise<AuditEvent[]> {
    if (events.length === 0) return [];
    return this.#driver.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [auditLockKey]);
      const last = await tx.query<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
      );
      const previous = last.rows[0];
      let seq = previous === undefined ? 0 : num(previous.seq, 'audit_events.seq');
      let prevHash = previous?.hash ?? AUDIT_GENESIS_HASH;
      const stored: AuditEvent[] = [];
      for (const event of events) {
        seq += 1;
        const hash = auditHash(prevHash, seq, event);
        const result = await tx.query<AuditRow>(
          `INSERT INTO audit_events (${columns}) VALUES ($1, $2, $3::timestamptz, $4, $5, $6::jsonb, $7, $8)
           RETURNING ${columns}`,
          [
            seq,
            event.accountId,
            tsParam(event.ts),
            event.kind,
            event.actor,
            jsonParam(event.payload),
            prevHash,
            hash,
          ],
        );
        stored.push(toAuditEvent(result.rows[0] as AuditRow));
        prevHash = hash;
      }
      return stored;
    });
  }

  async read(afterSeq: number, limit: number): Promise<AuditEvent[]> {
    const result = await this.#driver.query<AuditRow>(
      `SELECT ${columns} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [intParam(afterSeq, 'afterSeq'), intParam(limit, 'limit')],
    );
    return result.rows.map(toAuditEvent);
  }

  async readByAccount(accountId: AccountId, afterSeq: number, limit: number): Promise<AuditEvent[]> {
    const result = await this.#driver.query<AuditRow>(
      `SELECT ${columns} FROM audit_events WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [accountId, intParam(afterSeq, 'afterSeq'), intParam(limit, 'limit')],
    );
    return result.rows.map(toAuditEvent);
  }

  /** Returns up to `limit` records matching the filter with seq > `afterSeq`, in seq order. */
  async list(filter: AuditListFilter): Promise<AuditEvent[]> {
    const where: string[] = ['seq > $1'];
    const params: unknown[] = [intParam(filter.afterSeq ?? 0, 'afterSeq')];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.fromMs !== undefined) add('ts >= ?::timestamptz', tsParam(filter.fromMs));
    if (filter.toMs !== undefined) add('ts < ?::timestamptz', tsParam(filter.toMs));
    if (filter.kind !== undefined) {
      if (filter.kind.endsWith('.*'))
        add(`kind LIKE ? ESCAPE '\\'`, `${escapeLike(filter.kind.slice(0, -1))}%`);
      else add('kind = ?', filter.kind);
    }
    if (filter.accountId !== undefined) {
      add(
        filter.includeSystem === true ? '(account_id = ? OR account_id IS NULL)' : 'account_id = ?',
        filter.accountId,
      );
    }
    params.push(intParam(filter.limit, 'limit'));
    const result = await this.#driver.query<AuditRow>(
      `SELECT ${columns} FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`,
      params,
    );
    return result.rows.map(toAuditEvent);
  }

  /** Returns the last record of one of `kinds` (with ts before `beforeMs` when given), or null. */
  async latestOfKinds(kinds: readonly string[], beforeMs?: number): Promise<AuditEvent | null> {
    if (kinds.length === 0) return null;
    const params: unknown[] = [...kinds];
    const placeholders = kinds.map((_, i) => `$${i + 1}`).join(', ');
    let before = '';
    if (beforeMs !== undefined) {
      params.push(tsParam(beforeMs));
      before = ` AND ts < $${params.length}::timestamptz`;
    }
    const result = await this.#driver.query<AuditRow>(
      `SELECT ${columns} FROM audit_events WHERE kind IN (${placeholders})${before} ORDER BY seq DESC LIMIT 1`,
      params,
    );
    const row = result.rows[0];
    return row === undefined ? null : toAuditEvent(row);
  }

  /** Returns the last record (with ts before `beforeMs` when given), or null when there is none. */
  async last(beforeMs?: number): Promise<AuditEvent | null> {
    const result =
      beforeMs === undefined
        ? await this.#driver.query<AuditRow>(`SELECT ${columns} FROM audit_events ORDER BY seq DESC LIMIT 1`)
        : await this.#driver.query<AuditRow>(
            `SELECT ${columns} FROM audit_events WHERE ts < $1::timestamptz ORDER BY seq DESC LIMIT 1`,
            [tsParam(beforeMs)],
          );
    const row = result.rows[0];
    return row === undefined ? null : toAuditEvent(row);
  }

  async verify(): Promise<AuditVerification> {
    const result = await this.verifyChain();
    return result.ok
      ? { ok: true, count: result.count, lastHash: result.lastHash }
      : { ok: false, seq: result.seq, reason: result.reason };
  }

  /**
   * Recomputes the chain over [fromSeq, throughSeq] and reports the first break with what happened there: a record
   * edited, inserted, deleted or reordered; with an anchor, also the loss of the records after the last one (tail
   * truncation) or a rewritten chain. Without an anchor a deleted tail cannot be seen: nothing after it links to it.
   */
  async verifyChain(options: AuditVerifyOptions = {}): Promise<AuditChainVerification> {
    const fromSeq = options.fromSeq ?? 1;
    const throughSeq = options.throughSeq ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(fromSeq) || fromSeq < 1) {
      throw new RangeError(`from seq ${fromSeq} is not a positive integer`);
    }
    if (!Number.isSafeInteger(throughSeq) || throughSeq < fromSeq - 1) {
      throw new RangeError(`through seq ${throughSeq} is not an integer at or after from seq ${fromSeq}`);
    }
    const anchor = options.anchor ?? null;
    const broken = (b: Break, count: number): AuditChainVerification => ({ ok: false, fromSeq, ...b, count });
    let prevHash = AUDIT_GENESIS_HASH;
    let prevPrevHash: string | null = null;
    if (fromSeq > 1) {
      const [start] = await this.read(fromSeq - 2, 1);
      if (start?.seq !== fromSeq - 1) {
        const last = await this.last();
        if (last !== null && last.seq > fromSeq - 1) {
          return broken({ seq: fromSeq - 1, kind: 'deleted', reason: `record ${fromSeq - 1} is missing` }, 0);
        }
        if (anchor !== null && anchor.seq >= fromSeq - 1) {
          return broken(this.#truncated(last?.seq ?? 0, anchor), 0);
        }
        throw new RangeError(
          `from seq ${fromSeq} is past the end of the audit log (last record ${last?.seq ?? 0})`,
        );
      }
      prevHash = start.hash;
      prevPrevHash = start.prevHash;
    }
    let expected = fromSeq;
    let anchorHash: string | null = null;
    for (;;) {
      const page = await this.read(expected - 1, verifyPageSize);
      for (const [i, event] of page.entries()) {
        if (event.seq > throughSeq) break;
        if (event.seq !== expected) {
          const reason = `record ${expected} is missing (the next stored record is ${event.seq})`;
          return broken({ seq: expected, kind: 'deleted', reason }, expected - fromSeq);
        }
        if (event.prevHash !== prevHash || auditHash(prevHash, expected, event) !== event.hash) {
          const later = [
            ...page.slice(i + 1),
            ...(await this.read(page.at(-1)?.seq ?? expected, verifyPageSize)),
          ];
          return broken(classifyBreak(event, expected, prevHash, prevPrevHash, later), expected - fromSeq);
        }
        if (anchor !== null && expected === anchor.seq) anchorHash = event.hash;
        prevPrevHash = prevHash;
        prevHash = event.hash;
        expected += 1;
      }
      if (page.length < verifyPageSize || (page.at(-1)?.seq ?? 0) >= throughSeq) break;
    }
    const lastSeq = expected - 1;
    const count = lastSeq - fromSeq + 1;
    let anchorChecked = false;
    if (anchor !== null && anchor.seq >= fromSeq && anchor.seq <= throughSeq) {
      if (lastSeq < anchor.seq) return broken(this.#truncated(lastSeq, anchor), count);
      if (anchorHash !== anchor.hash) {
        const reason = `record ${anchor.seq} has hash ${anchorHash ?? '(none)'} but the anchor recorded ${anchor.hash}: the chain was rewritten up to it`;
        return broken({ seq: anchor.seq, kind: 'rewritten', reason }, count);
      }
      anchorChecked = true;
    }
    return { ok: true, fromSeq, count, lastSeq, lastHash: prevHash, anchorChecked };
  }

  #truncated(lastSeq: number, anchor: AuditAnchor): Break {
    return {
      seq: lastSeq + 1,
      kind: 'truncated',
      reason: `records ${lastSeq + 1}..${anchor.seq} are missing: the log ends at ${lastSeq} but the anchor recorded record ${anchor.seq} (hash ${anchor.hash})`,
    };
  }
}
