// Replays a recorded paper or live run through the kernel (issue "Journal"): the run's configuration snapshot rebuilds
// the same kernel, risk engine, order manager and portfolio in replay mode, every journaled input goes through it at
// its recorded time, and what it produced (signals, intents, risk decisions, orders) is compared with what the run
// stored. The replay sends nothing anywhere: execution reports come from the journal, timers too.
//
// Identity covers the kernel's outputs given the same inputs. It cannot cover state the run did not journal: a live
// environment recovers stored orders, positions, fills and controls before its first input, while a replay starts
// empty — readStoredRun detects such prior state of the account and compareReplay then refuses to claim identity.
import { access } from 'node:fs/promises';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Logger as PinoLogger } from 'pino';
import {
  istDate,
  istToEpochMs,
  parseStrategyId,
  rupeesToPaise,
  SeededRandom,
  TimeRandomIdGenerator,
  type AccountId,
  type ExecutionClient,
  type FeeModel,
  type InsertOutcome,
  type Instrument,
  type InstrumentId,
  type Logger,
  type NseCalendar,
  type Order,
  type OrderIntent,
  type RiskDecision,
  type Run,
  type RunId,
  type Signal,
} from '@kitepilot/core';
import { ZerodhaFeeModel } from '@kitepilot/charges';
import {
  decodeKernelInput,
  DefaultRiskEngine,
  DeferredTradingTimers,
  InMemoryOrderStore,
  InProcessBus,
  Kernel,
  KernelClock,
  MapInstrumentCatalog,
  OrderManager,
  parseStrategyParams,
  Portfolio,
  ReplayClock,
  replayJournal,
  type KernelInput,
  type KernelStats,
} from '@kitepilot/engine';
import type { Store } from '@kitepilot/store';
import { RiskConfigSchema, TradingConfigSchema } from '../config/config-schema.ts';
import { builtinStrategies } from './builtin-strategies.ts';
import { readJournalLines, type TornJournalLine } from './journal-file.ts';
import { riskLimitsFromConfig } from './risk-limits-from-config.ts';

/** The configuration snapshot startTradingEnvironment stores with a run (the fields a replay needs). */
export const RunConfigSchema = Type.Object({
  mode: Type.Union([Type.Literal('paper'), Type.Literal('live')]),
  simulated: Type.Boolean(),
  seed: Type.Integer(),
  strategies: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      params: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Boolean()])),
    }),
  ),
  risk: RiskConfigSchema,
  trading: Type.Omit(TradingConfigSchema, ['strategies']),
});

/** A run's configuration snapshot, validated. */
export type RunConfig = Static<typeof RunConfigSchema>;

/** Returns the run's configuration snapshot; throws naming the run and every problem of the snapshot. */
export function runConfigOf(run: Pick<Run, 'id' | 'config'>): RunConfig {
  if (Value.Check(RunConfigSchema, run.config)) return run.config;
  const problems = [...Value.Errors(RunConfigSchema, run.config)]
    .slice(0, 5)
    .map((e) => `${e.path === '' ? '/' : e.path} ${e.message}`);
  throw new Error(`run ${run.id}: its configuration snapshot cannot be replayed: ${problems.join('; ')}`);
}

/** What a run produced, in the order the store or the replay gives them. */
export interface TradeRecords {
  readonly signals: readonly Signal[];
  readonly intents: readonly OrderIntent[];
  readonly decisions: readonly RiskDecision[];
  /** Every order of the run's intents, in its final state. */
  readonly orders: readonly Order[];
}

/** What replayTradingRun takes. */
export interface ReplayTradingRunOptions {
  readonly store: Store;
  readonly accountId: AccountId;
  readonly runId: RunId;
  /** The run's journal (`journalFilePath(dataDir, runId)`). */
  readonly journalPath: string;
  readonly calendar: NseCalendar;
  readonly logger: PinoLogger;
  /** The fee model the run's portfolio used (default ZerodhaFeeModel, as paper and live use). */
  readonly feeModel?: FeeModel;
  /** The instruments master in force (default: the stored version of the run's IST day, in its namespace). */
  readonly instruments?: readonly Instrument[];
  /** Receives a torn last line (it is skipped either way). */
  readonly onTornLine?: (torn: TornJournalLine) => void;
}

/** What a replay produced. */
export interface ReplayedRun extends TradeRecords {
  readonly runId: RunId;
  readonly accountId: AccountId;
  readonly journalPath: string;
  /** Journal lines replayed. */
  readonly inputs: number;
  /** The torn last line skipped, or null. */
  readonly tornLine: TornJournalLine | null;
  readonly stats: KernelStats;
}

/** An execution client that sends nothing: in a replay the broker's (or simulator's) reports come from the journal. */
class SilentExecutionClient implements ExecutionClient {
  setHandler(): void {}
  submit(): void {}
  modify(): void {}
  cancel(): void {}
}

/** The in-memory order store of a replay, also keeping the intents it stored (the SQL store keeps them per run). */
class ReplayOrderStore extends InMemoryOrderStore {
  readonly storedIntents: OrderIntent[] = [];

  override async insertIntent(intent: OrderIntent): Promise<InsertOutcome<OrderIntent>> {
    const outcome = await super.insertIntent(intent);
    if (outcome.created) this.storedIntents.push(outcome.value);
    return outcome;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Rebuilds the run's kernel in replay mode from its stored configuration (seed, strategies, risk, trading, the
 * instruments master of its IST day), replays every line of its journal and returns what the kernel produced.
 * Throws naming the run (and the journal line) on a missing run or journal, a bad snapshot, a malformed line or a
 * kernel failure; a torn last line is reported and skipped.
 */
export async function replayTradingRun(options: ReplayTradingRunOptions): Promise<ReplayedRun> {
  const { store, accountId, runId, journalPath, calendar } = options;
  const run = await store.runs.get(accountId, runId);
  if (run === null) throw new Error(`run ${runId} does not exist for account ${accountId}`);
  const config = runConfigOf(run);
  try {
    await access(journalPath);
  } catch (error) {
    throw new Error(`run ${runId}: its journal ${journalPath} cannot be read: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const registry = builtinStrategies();
  const planned = config.strategies.map((s) => {
    try {
      const definition = registry.get(s.name);
      const params = parseStrategyParams(definition, s.params);
      return { id: parseStrategyId(s.id), name: definition.name, definition, params };
    } catch (error) {
      throw new Error(`run ${runId}: strategy ${s.id} (${s.name}) cannot be rebuilt: ${messageOf(error)}`, {
        cause: error,
      });
    }
  });
  const day = istDate(run.startedAt);
  const instruments =
    options.instruments ??
    (await store.instruments.listVersion(config.simulated ? 'simulated' : 'real', day));
  const log = options.logger.child({ component: 'replay', runId }) as unknown as Logger;

  // The same parts as startTradingEnvironment, in replay mode: time is the journal's, ids come from the run's seed.
  const kernelClock = new KernelClock(new ReplayClock(run.startedAt));
  const ids = new TimeRandomIdGenerator(kernelClock, new SeededRandom(config.seed));
  const catalog = new MapInstrumentCatalog(instruments);
  const instrument = (id: InstrumentId): Instrument | null => catalog.byId(id);
  const bus = new InProcessBus(log);
  const orderStore = new ReplayOrderStore();
  const portfolio = new Portfolio({
    accountId,
    clock: kernelClock,
    instrument,
    feeModel: options.feeModel ?? new ZerodhaFeeModel(),
    ...(config.mode === 'paper'
      ? { startingCashPaise: rupeesToPaise(config.trading.paperStartingCash, 'half-up') }
      : {}),
  });
  const timers = new DeferredTradingTimers();
  const orders = new OrderManager({
    accountId,
    runId,
    clock: kernelClock,
    ids,
    bus,
    store: orderStore,
    risk: new DefaultRiskEngine(riskLimitsFromConfig(config.risk)),
    execution: new SilentExecutionClient(),
    instrument,
    calendar,
    portfolio,
    timers,
    logger: log,
    squareOff: {
      limitOffsetTicks: config.trading.squareOffLimitOffsetTicks,
      timeoutMs: config.trading.squareOffTimeoutSeconds * 1000,
    },
    manualAck: config.mode === 'live' && config.trading.manualAcknowledgement,
  });
  const kernel = new Kernel({
    accountId,
    runId,
    clock: kernelClock,
    ids,
    bus,
    trading: orders,
    instruments: catalog,
    calendar,
    logger: log,
    signals: orderStore,
    replay: true,
  });
  timers.bind(kernel.tradingTimers());
  await orders.recover();
  for (const p of planned) kernel.addStrategy(p.id, p.name, p.definition.create(p.params));
  await kernel.start();

  let tornLine: TornJournalLine | null = null;
  let current: { lineNumber: number; input: KernelInput | null } | null = null;
  async function* decoded(): AsyncGenerator<KernelInput, void, undefined> {
    const lines = readJournalLines(journalPath, {
      onTornLine: (torn) => {
        tornLine = torn;
        options.onTornLine?.(torn);
      },
    });
    for await (const { lineNumber, line } of lines) {
      current = { lineNumber, input: null };
      const input = decodeKernelInput(line, lineNumber);
      current = { lineNumber, input };
      yield input;
    }
  }
  let count: number;
  try {
    count = await replayJournal({ inputs: decoded(), kernel });
  } catch (error) {
    const at = current as { lineNumber: number; input: KernelInput | null } | null;
    const where =
      at === null
        ? `reading ${journalPath}`
        : at.input === null
          ? `${journalPath} line ${at.lineNumber} is malformed`
          : `${journalPath} line ${at.lineNumber} (${at.input.kind} at ${at.input.at}) failed in the kernel`;
    throw new Error(`replaying run ${runId}: ${where}: ${messageOf(error)}`, { cause: error });
  }
  await kernel.stop();
  return {
    runId,
    accountId,
    journalPath,
    inputs: count,
    tornLine,
    stats: kernel.stats(),
    signals: orderStore.signals(),
    intents: [...orderStore.storedIntents],
    decisions: orderStore.riskDecisions(accountId),
    orders: orderStore.orders(accountId),
  };
}

/** What the store holds for a run, and the account's state before it started (which a replay cannot rebuild). */
export interface StoredRun extends TradeRecords {
  readonly run: Run;
  /** Why the run began after recovered state (orders, fills, positions of the account before it), or empty. */
  readonly priorState: readonly string[];
}

/** Returns the signals, intents, risk decisions and orders the store holds for a run, and its prior state. */
export async function readStoredRun(store: Store, accountId: AccountId, runId: RunId): Promise<StoredRun> {
  const run = await store.runs.get(accountId, runId);
  if (run === null) throw new Error(`run ${runId} does not exist for account ${accountId}`);
  const signals = await store.signals.listByRun(accountId, runId);
  const intents = await store.intents.listByRun(accountId, runId);
  const decisions: RiskDecision[] = [];
  const orders: Order[] = [];
  for (const intent of intents) {
    decisions.push(...(await store.riskDecisions.listByIntent(accountId, intent.id)));
    orders.push(...(await store.orders.listByIntent(accountId, intent.id)));
  }
  return { run, signals, intents, decisions, orders, priorState: await priorStateOf(store, accountId, run) };
}

// What recovery (recoverTradingState) would have read at the run's start, as far as the store still shows it: orders
// and fills of the account earlier that IST day, orders of earlier days still open, positions open before the start.
async function priorStateOf(store: Store, accountId: AccountId, run: Run): Promise<string[]> {
  const day = istDate(run.startedAt);
  const dayStart = istToEpochMs(day, '00:00');
  const reasons: string[] = [];
  const earlier = await store.orders.listBetween(accountId, dayStart, run.startedAt);
  if (earlier[0] !== undefined) {
    reasons.push(
      `${earlier.length} order(s) of ${accountId} were created on ${day} before the run started ` +
        `(first ${earlier[0].clientOrderId} of run ${earlier[0].runId})`,
    );
  }
  const open = (await store.orders.listNonTerminal(accountId)).filter((o) => o.createdAt < dayStart);
  if (open[0] !== undefined) {
    reasons.push(`${open.length} order(s) of earlier days are still open (first ${open[0].clientOrderId})`);
  }
  const fills = await store.fills.listBetween(accountId, dayStart, run.startedAt);
  if (fills[0] !== undefined) {
    reasons.push(`${fills.length} fill(s) on ${day} before the run started (first ${fills[0].venueTradeId})`);
  }
  const positions = (await store.positions.list(accountId, { openOnly: true })).filter(
    (p) => p.updatedAt < run.startedAt,
  );
  if (positions[0] !== undefined) {
    const p = positions[0];
    reasons.push(
      `${positions.length} position(s) were open before the run started (first ${p.instrumentId} ${p.product} ${p.netQty})`,
    );
  }
  return reasons;
}

/** The kind of record a difference is in; `start-state` when the run began after recovered state. */
export type ReplayDifferenceKind = 'start-state' | 'signal' | 'intent' | 'decision' | 'order';

/** The compared fields of one record (or the prior state), as JSON. */
export type ComparedRecord = Readonly<Record<string, string | number | boolean | null | readonly unknown[]>>;

/** The first place where the stored run and its replay differ. */
export interface ReplayDifference {
  readonly kind: ReplayDifferenceKind;
  /** 0-based position among the records of that kind (sorted by time, then id). */
  readonly index: number;
  /** The stored record, or null when the store has fewer. */
  readonly stored: ComparedRecord | null;
  /** The replayed record, or null when the replay produced fewer. */
  readonly replayed: ComparedRecord | null;
  /** The fields that differ (every field when one side is missing). */
  readonly fields: readonly string[];
}

/** How many records of each kind one side holds. */
export interface ReplayCounts {
  readonly signals: number;
  readonly intents: number;
  readonly decisions: number;
  readonly allowed: number;
  readonly denied: number;
  readonly orders: number;
}

/** The outcome of compareReplay. */
export interface ReplayComparison {
  readonly identical: boolean;
  readonly counts: { readonly stored: ReplayCounts; readonly replayed: ReplayCounts };
  readonly firstDifference: ReplayDifference | null;
}

function countsOf(records: TradeRecords): ReplayCounts {
  return {
    signals: records.signals.length,
    intents: records.intents.length,
    decisions: records.decisions.length,
    allowed: records.decisions.filter((d) => d.decision === 'allow').length,
    denied: records.decisions.filter((d) => d.decision === 'deny').length,
    orders: records.orders.length,
  };
}

/** The fields compared, per kind of record (exported for the command that prints differences). */
export const COMPARED_FIELDS = {
  signal: ['id', 'strategyId', 'instrumentId', 'direction', 'strength', 'reason', 'tsEvent'],
  intent: [
    ...['id', 'strategyId', 'instrumentId', 'side', 'qty', 'orderType', 'product', 'validity'],
    ...['limitPricePaise', 'triggerPricePaise', 'stopLossPaise', 'reason', 'tsEvent'],
  ],
  decision: ['intentId', 'strategyId', 'decision', 'code', 'reason', 'slices', 'decidedAt'],
  order: [
    ...['clientOrderId', 'intentId', 'strategyId', 'instrumentId', 'side', 'qty', 'orderType', 'product'],
    ...['limitPricePaise', 'triggerPricePaise', 'venueOrderId', 'status', 'filledQty', 'filledValuePaise'],
    ...['cancelledQty', 'createdAt', 'updatedAt'],
  ],
} as const satisfies Record<Exclude<ReplayDifferenceKind, 'start-state'>, readonly string[]>;

function pick(value: object, fields: readonly string[]): ComparedRecord {
  const v = value as Readonly<Record<string, ComparedRecord[string] | undefined>>;
  return Object.fromEntries(fields.map((f) => [f, v[f] ?? null]));
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// Both sides are put in one order — time, then id (code points, not the database's collation) — so that records
// made at the same millisecond compare pairwise whatever order the store returned them in.
function sorted<T>(items: readonly T[], time: (t: T) => number, id: (t: T) => string): T[] {
  return [...items].sort((a, b) => time(a) - time(b) || byCodePoint(id(a), id(b)));
}

function firstDifferenceOf(
  kind: ReplayDifferenceKind,
  stored: readonly ComparedRecord[],
  replayed: readonly ComparedRecord[],
): ReplayDifference | null {
  for (let i = 0; i < Math.max(stored.length, replayed.length); i++) {
    const s = stored[i] ?? null;
    const r = replayed[i] ?? null;
    if (s === null || r === null) {
      return { kind, index: i, stored: s, replayed: r, fields: Object.keys(s ?? r ?? {}) };
    }
    const fields = Object.keys(s).filter((k) => JSON.stringify(s[k]) !== JSON.stringify(r[k]));
    if (fields.length > 0) return { kind, index: i, stored: s, replayed: r, fields };
  }
  return null;
}

interface KindDifference {
  readonly difference: ReplayDifference;
  /** When the first of the two differing records was made. */
  readonly at: number;
}

function firstOfKind<T extends object>(
  kind: Exclude<ReplayDifferenceKind, 'start-state'>,
  stored: readonly T[],
  replayed: readonly T[],
  time: (t: T) => number,
  id: (t: T) => string,
): KindDifference | null {
  const s = sorted(stored, time, id);
  const r = sorted(replayed, time, id);
  const fields = COMPARED_FIELDS[kind];
  const difference = firstDifferenceOf(
    kind,
    s.map((x) => pick(x, fields)),
    r.map((x) => pick(x, fields)),
  );
  if (difference === null) return null;
  const times = [s[difference.index], r[difference.index]].flatMap((t) => (t === undefined ? [] : [time(t)]));
  return { difference, at: Math.min(...times) };
}

/**
 * Compares a stored run with its replay: signals (ids, strategy, instrument, direction, strength, reason, time),
 * intents (ids, terms, prices, stop, reason, time), risk decisions (intent, decision, code, reason, slices, time)
 * and orders (client order id, intent, terms, prices, venue id, final status, filled and cancelled quantity, filled
 * value, times). The first difference is the earliest in time (signal before intent before decision before order
 * at the same millisecond). A run that began after recovered state is never identical.
 */
export function compareReplay(
  stored: TradeRecords & { readonly priorState?: readonly string[] },
  replayed: TradeRecords,
): ReplayComparison {
  const counts = { stored: countsOf(stored), replayed: countsOf(replayed) };
  const prior = stored.priorState ?? [];
  if (prior.length > 0) {
    const firstDifference: ReplayDifference = {
      kind: 'start-state',
      index: 0,
      stored: { priorState: prior },
      replayed: { priorState: [] },
      fields: ['priorState'],
    };
    return { identical: false, counts, firstDifference };
  }
  const candidates = [
    firstOfKind(
      'signal',
      stored.signals,
      replayed.signals,
      (x) => x.tsEvent,
      (x) => x.id,
    ),
    firstOfKind(
      'intent',
      stored.intents,
      replayed.intents,
      (x) => x.tsEvent,
      (x) => x.id,
    ),
    firstOfKind(
      'decision',
      stored.decisions,
      replayed.decisions,
      (x) => x.decidedAt,
      (x) => x.intentId,
    ),
    firstOfKind(
      'order',
      stored.orders,
      replayed.orders,
      (x) => x.createdAt,
      (x) => x.clientOrderId,
    ),
  ].filter((c): c is KindDifference => c !== null);
  // Stable: at the same time the earlier kind in the trading path wins.
  const first = candidates.sort((a, b) => a.at - b.at)[0];
  return { identical: first === undefined, counts, firstDifference: first?.difference ?? null };
}
