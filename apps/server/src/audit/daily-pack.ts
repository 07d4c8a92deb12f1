// The daily pack (DESIGN.md invariant 8): one ZIP per account and IST day with the orders, fills, signals, risk
// decisions, raw order events and audit records of that day (JSONL and CSV), the configuration in force (secrets
// redacted), the verification of the audit chain up to the day's last record, and a manifest with the sha256 of every
// file. The same stored data gives the same bytes: rows are sorted, file order and mtimes are fixed, and nothing in
// the pack depends on when it was made. The chain is verified through the day's last record only, so the pack of a
// past day stays the same while the log grows; its last seq and hash anchor the chain against a truncation.
import { createHash } from 'node:crypto';
import { zipSync, type Zippable } from 'fflate';
import {
  formatIst,
  type AccountId,
  type AuditEvent,
  type JsonValue,
  type StoredOrderEvent,
  type VenueOrderId,
  type ClientOrderId,
  type OrderEventSource,
} from '@kitepilot/core';
import { SqlAuditRepository, type Store } from '@kitepilot/store';
import { istDayRange } from '../http/routes/trading-reads.ts';
import { CONFIG_RECORD_KINDS, redactSecrets } from './config-change.ts';
import { toCsv, toJsonl } from './csv.ts';
import {
  auditPackRow,
  fillPackRow,
  orderEventPackRow,
  orderPackRow,
  PACK_COLUMNS,
  riskDecisionPackRow,
  signalPackRow,
  type PackRow,
  type PackTable,
} from './daily-pack-rows.ts';

/** The format name written in the manifest. */
export const DAILY_PACK_FORMAT = 'kitepilot-daily-pack/1';

/** One file of the pack as the manifest lists it. */
export interface DailyPackFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
  /** Rows in a table file; null for the JSON documents. */
  readonly records: number | null;
}

/** The manifest (`manifest.json`). */
export interface DailyPackManifest {
  readonly format: string;
  readonly date: string;
  readonly accountId: AccountId;
  readonly day: {
    readonly fromUtc: string;
    readonly toUtc: string;
    readonly fromIst: string;
    readonly toIst: string;
  };
  readonly chain: {
    readonly ok: boolean;
    readonly throughSeq: number;
    readonly lastHash: string | null;
  };
  readonly files: readonly DailyPackFile[];
}

/** A built pack. */
export interface DailyPack {
  readonly fileName: string;
  readonly zip: Uint8Array;
  readonly manifest: DailyPackManifest;
}

// Rows per read of the day's audit records.
const auditPageSize = 1000;

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Returns a Date whose local fields are the date's noon, so that every host writes the same DOS time into the ZIP. */
function zipMtime(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // fflate writes the local fields of the Date; no time zone changes its clocks at noon.
  return new Date(y, m - 1, d, 12, 0, 0);
}

interface OrderEventRow {
  readonly id: number;
  readonly account_id: string;
  readonly client_order_id: string | null;
  readonly venue_order_id: string | null;
  readonly source: string;
  readonly venue_status: string | null;
  readonly payload: JsonValue;
  readonly received_at: number;
}

/** Returns the raw order events of one account received in [fromMs, toMs), by id. */
async function orderEventsBetween(
  store: Store,
  accountId: AccountId,
  fromMs: number,
  toMs: number,
): Promise<StoredOrderEvent[]> {
  // The order-event repository reads by order only; the pack needs a day of them.
  const result = await store.driver.query<OrderEventRow>(
    `SELECT id, account_id, client_order_id, venue_order_id, source, venue_status, payload, received_at
     FROM order_events WHERE account_id = $1 AND received_at >= $2::timestamptz AND received_at < $3::timestamptz
     ORDER BY id`,
    [accountId, new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  );
  return result.rows.map((r) => ({
    id: Number(r.id),
    accountId: r.account_id as AccountId,
    clientOrderId: r.client_order_id as ClientOrderId | null,
    venueOrderId: r.venue_order_id as VenueOrderId | null,
    source: r.source as OrderEventSource,
    venueStatus: r.venue_status,
    payload: r.payload,
    receivedAt: Number(r.received_at),
  }));
}

interface RunRow {
  readonly id: string;
  readonly environment: string;
  readonly strategy_id: string;
  readonly config: JsonValue;
  readonly config_hash: string;
  readonly status: string;
  readonly started_at: number;
  readonly finished_at: number | null;
}

/** Returns the account's runs that were active during [fromMs, toMs), by start. */
async function runsDuring(
  store: Store,
  accountId: AccountId,
  fromMs: number,
  toMs: number,
): Promise<JsonValue[]> {
  const result = await store.driver.query<RunRow>(
    `SELECT id, environment, strategy_id, config, config_hash, status, started_at, finished_at FROM runs
     WHERE account_id = $1 AND started_at < $3::timestamptz AND (finished_at IS NULL OR finished_at >= $2::timestamptz)
     ORDER BY started_at, id`,
    [accountId, new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  );
  return result.rows.map((r) => ({
    runId: r.id,
    environment: r.environment,
    strategyId: r.strategy_id,
    status: r.status,
    startedAtUtc: new Date(Number(r.started_at)).toISOString(),
    startedAtIst: formatIst(Number(r.started_at)),
    finishedAtUtc: r.finished_at === null ? null : new Date(Number(r.finished_at)).toISOString(),
    finishedAtIst: r.finished_at === null ? null : formatIst(Number(r.finished_at)),
    configHash: r.config_hash,
    config: redactSecrets(r.config),
  }));
}

async function auditEventsOfDay(
  audit: SqlAuditRepository,
  accountId: AccountId,
  fromMs: number,
  toMs: number,
): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (;;) {
    const page = await audit.list({
      fromMs,
      toMs,
      accountId,
      includeSystem: true,
      afterSeq: events.at(-1)?.seq ?? 0,
      limit: auditPageSize,
    });
    events.push(...page);
    if (page.length < auditPageSize) return events;
  }
}

function configRecord(event: AuditEvent | null): JsonValue {
  if (event === null) return null;
  const payload = event.payload as { readonly [key: string]: JsonValue };
  return {
    seq: event.seq,
    kind: event.kind,
    tsUtc: new Date(event.ts).toISOString(),
    tsIst: formatIst(event.ts),
    configHash: payload['configHash'] ?? null,
    config: redactSecrets(payload['config'] ?? null),
  };
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Builds the daily pack of one account and IST date (`YYYY-MM-DD`); throws naming a bad date. */
export async function buildDailyPack(store: Store, date: string, accountId: AccountId): Promise<DailyPack> {
  const { fromMs, toMs } = istDayRange(date);
  const audit = new SqlAuditRepository(store.driver);
  const orders = (await store.orders.listBetween(accountId, fromMs, toMs)).sort(
    (a, b) => a.createdAt - b.createdAt || compareText(a.clientOrderId, b.clientOrderId),
  );
  const fills = (await store.fills.listBetween(accountId, fromMs, toMs)).sort(
    (a, b) => a.tsEvent - b.tsEvent || compareText(a.id, b.id),
  );
  const signals = (await store.signals.listBetween(accountId, fromMs, toMs)).sort(
    (a, b) => a.tsEvent - b.tsEvent || compareText(a.id, b.id),
  );
  const decisions = (await store.riskDecisions.listBetween(accountId, fromMs, toMs)).sort(
    (a, b) => a.decidedAt - b.decidedAt || a.id - b.id,
  );
  const orderEvents = await orderEventsBetween(store, accountId, fromMs, toMs);
  const auditEvents = await auditEventsOfDay(audit, accountId, fromMs, toMs);

  const lastOfDay = await audit.last(toMs);
  const throughSeq = lastOfDay?.seq ?? 0;
  const verification = await audit.verifyChain({ throughSeq });
  const config = {
    // The configuration recorded last before the day ended (a start or a change), and any changes during the day.
    inForceAtEnd: configRecord(await audit.latestOfKinds(CONFIG_RECORD_KINDS, toMs)),
    inForceAtStart: configRecord(await audit.latestOfKinds(CONFIG_RECORD_KINDS, fromMs)),
    runs: await runsDuring(store, accountId, fromMs, toMs),
  };

  const tables: Record<PackTable, PackRow[]> = {
    orders: orders.map(orderPackRow),
    fills: fills.map(fillPackRow),
    signals: signals.map(signalPackRow),
    'risk-decisions': decisions.map(riskDecisionPackRow),
    'order-events': orderEvents.map(orderEventPackRow),
    'audit-events': auditEvents.map(auditPackRow),
  };
  const encoder = new TextEncoder();
  const files: { name: string; data: Uint8Array; records: number | null }[] = [];
  for (const [name, rows] of Object.entries(tables) as [PackTable, PackRow[]][]) {
    files.push({ name: `${name}.jsonl`, data: encoder.encode(toJsonl(rows)), records: rows.length });
    files.push({
      name: `${name}.csv`,
      data: encoder.encode(toCsv(PACK_COLUMNS[name], rows)),
      records: rows.length,
    });
  }
  const json = (value: unknown): Uint8Array => encoder.encode(`${JSON.stringify(value, null, 2)}\n`);
  files.push({ name: 'config.json', data: json(config), records: null });
  files.push({ name: 'audit-verification.json', data: json({ throughSeq, ...verification }), records: null });

  const manifest: DailyPackManifest = {
    format: DAILY_PACK_FORMAT,
    date,
    accountId,
    day: {
      fromUtc: new Date(fromMs).toISOString(),
      toUtc: new Date(toMs).toISOString(),
      fromIst: formatIst(fromMs),
      toIst: formatIst(toMs),
    },
    chain: {
      ok: verification.ok,
      throughSeq,
      lastHash: verification.ok ? verification.lastHash : null,
    },
    files: files.map((f) => ({
      name: f.name,
      bytes: f.data.length,
      sha256: sha256(f.data),
      records: f.records,
    })),
  };
  const mtime = zipMtime(date);
  const zippable: Zippable = { 'manifest.json': json(manifest) };
  for (const f of files) zippable[f.name] = f.data;
  const zip = zipSync(zippable, { level: 6, mtime });
  return { fileName: `kitepilot-daily-pack-${date}-${accountId}.zip`, zip, manifest };
}
