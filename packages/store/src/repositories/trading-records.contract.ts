// Contract of the trading-record repositories added with migration 0004: orders by creation time, risk decisions,
// signals and the trading controls. Run on PGlite always and on PostgreSQL by store.contract.ts.
import {
  anIntent,
  anOrder,
  BUILDER_TS,
  instrumentId,
  parseAccountId,
  parseClientOrderId,
  parseIntentId,
  parseRunId,
  parseSignalId,
  parseStrategyId,
  RISK_CHECK_CODES,
  DEFAULT_TRADING_CONTROLS,
  type AccountId,
  type RiskCheckCode,
  type RiskDecision,
  type RunId,
  type Signal,
} from '@kitepilot/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { StoreQueryError } from '../errors.ts';
import type { Store } from '../store.ts';
import { useMigratedStore } from '../testing/contract/migrated-store.ts';
import type { StoreTestBackend } from '../testing/store-test-backend.ts';

const accountA = parseAccountId('acc_A');
const accountB = parseAccountId('acc_B');
const runA = parseRunId('run_A');
const runB = parseRunId('run_B');
const strategy = parseStrategyId('str_test');
const t0 = Date.UTC(2026, 10, 20, 3, 45);

async function seed(store: Store): Promise<void> {
  for (const [account, run] of [
    [accountA, runA],
    [accountB, runB],
  ] as const) {
    await store.accounts.create({ id: account, name: `account ${account}`, createdAt: t0 });
    await store.runs.create(account, {
      id: run,
      environment: 'paper',
      strategyId: strategy,
      config: {},
      startedAt: t0,
    });
    for (const n of [1, 2, 3]) {
      await store.intents.insert(
        account,
        anIntent({ id: parseIntentId(`int_${account.slice(4)}${n}`), accountId: account, runId: run }),
      );
    }
  }
}

const intentOf = (account: AccountId, n: number) => parseIntentId(`int_${account.slice(4)}${n}`);

function decision(account: AccountId, n: number, overrides: Partial<RiskDecision> = {}): RiskDecision {
  return {
    accountId: account,
    intentId: intentOf(account, n),
    strategyId: strategy,
    decision: 'allow',
    code: 'ok',
    reason: 'all checks passed',
    slices: null,
    inputs: { dailyLossCapPaise: 500000, openPositions: 1, limits: { maxOrders: [1, 2] } },
    decidedAt: t0,
    ...overrides,
  };
}

function signal(account: AccountId, run: RunId, id: string, overrides: Partial<Signal> = {}): Signal {
  return {
    id: parseSignalId(id),
    accountId: account,
    runId: run,
    strategyId: strategy,
    instrumentId: instrumentId('RELIANCE', 'NSE'),
    direction: 'LONG',
    strength: 0.625,
    reason: 'close 1,574.20 crossed above SMA(20) 1,571.05',
    tsEvent: t0,
    tsInit: t0 + 3,
    ...overrides,
  };
}

/** Runs the contract of orders by creation time, risk decisions, signals and trading controls. */
export function tradingRecordsContract(backend: StoreTestBackend): void {
  const store = useMigratedStore(backend);

  beforeEach(async () => {
    await seed(store());
  });

  describe(`SqlOrderRepository.listBetween (${backend.kind})`, () => {
    it('returns the account orders created in [from, to), oldest first, and no other account', async () => {
      const { orders } = store();
      const save = (account: AccountId, run: RunId, n: number, createdAt: number) =>
        orders.save(
          account,
          anOrder({
            id: intentOf(account, n),
            accountId: account,
            runId: run,
            clientOrderId: parseClientOrderId(`ord_${account.slice(4)}${n}`),
            createdAt,
          }),
        );
      await save(accountA, runA, 3, t0 + 2000);
      await save(accountA, runA, 1, t0);
      await save(accountA, runA, 2, t0 + 1000);
      await save(accountB, runB, 1, t0 + 500);
      const ids = async (from: number, to: number) =>
        (await orders.listBetween(accountA, from, to)).map((o) => o.clientOrderId);
      expect(await ids(t0, t0 + 3000)).toEqual(['ord_A1', 'ord_A2', 'ord_A3']);
      expect(await ids(t0 + 1, t0 + 2000)).toEqual(['ord_A2']);
      expect(await ids(t0 + 2001, t0 + 9000)).toEqual([]);
      expect((await orders.listBetween(accountB, t0, t0 + 3000)).map((o) => o.clientOrderId)).toEqual([
        'ord_B1',
      ]);
    });
  });

  describe(`SqlOrderRepository.listIntentIdsWithoutOrder (${backend.kind})`, () => {
    it('returns the account intents of the range that have no order at all (a rejected order counts)', async () => {
      const { orders, intents } = store();
      await intents.insert(
        accountA,
        anIntent({
          id: parseIntentId('int_Alate'),
          accountId: accountA,
          runId: runA,
          tsEvent: t0 + 86_400_000,
        }),
      );
      await orders.save(
        accountA,
        anOrder({
          id: intentOf(accountA, 2),
          accountId: accountA,
          runId: runA,
          clientOrderId: parseClientOrderId('ord_A2'),
        }),
      );
      await orders.save(accountA, {
        ...anOrder({
          id: intentOf(accountA, 3),
          accountId: accountA,
          runId: runA,
          clientOrderId: parseClientOrderId('ord_A3'),
        }),
        status: 'REJECTED',
      });
      // The builders' intents are at BUILDER_TS; int_Alate is one day later.
      const dayEnd = t0 + 86_400_000;
      expect(await orders.listIntentIdsWithoutOrder(accountA, t0, dayEnd)).toEqual(['int_A1']);
      expect(
        await orders.listIntentIdsWithoutOrder(accountA, BUILDER_TS + 1, BUILDER_TS + 86_400_001),
      ).toEqual(['int_Alate']);
      expect(await orders.listIntentIdsWithoutOrder(accountB, t0, dayEnd)).toEqual([
        'int_B1',
        'int_B2',
        'int_B3',
      ]);
    });
  });

  describe(`SqlRiskDecisionRepository (${backend.kind})`, () => {
    it('stores allowed and denied decisions with code, slices and inputs, listed per intent and by time', async () => {
      const { riskDecisions } = store();
      const allowed = await riskDecisions.insert(
        accountA,
        decision(accountA, 1, { slices: [1800, 1800, 400], decidedAt: t0 + 10 }),
      );
      const denied = await riskDecisions.insert(
        accountA,
        decision(accountA, 1, {
          decision: 'deny',
          code: 'daily-loss-cap',
          reason: 'loss today ₹4,200.00 + worst case ₹1,000.00 exceeds the cap ₹5,000.00',
          decidedAt: t0 + 20,
        }),
      );
      await riskDecisions.insert(accountA, decision(accountA, 2, { decidedAt: t0 }));
      expect(allowed).toEqual({
        ...decision(accountA, 1, { slices: [1800, 1800, 400], decidedAt: t0 + 10 }),
        id: allowed.id,
      });
      expect(denied.id).toBeGreaterThan(allowed.id);
      expect(await riskDecisions.listByIntent(accountA, intentOf(accountA, 1))).toEqual([allowed, denied]);
      expect(
        (await riskDecisions.listBetween(accountA, t0, t0 + 20)).map((d) => [d.intentId, d.code]),
      ).toEqual([
        ['int_A2', 'ok'],
        ['int_A1', 'ok'],
      ]);
    });

    it('keeps accounts apart: another account neither reads nor writes them', async () => {
      const { riskDecisions } = store();
      await riskDecisions.insert(accountA, decision(accountA, 1));
      expect(await riskDecisions.listByIntent(accountB, intentOf(accountA, 1))).toEqual([]);
      expect(await riskDecisions.listBetween(accountB, t0, t0 + 1)).toEqual([]);
      await expect(riskDecisions.insert(accountB, decision(accountA, 1))).rejects.toThrow(
        /belongs to account acc_A/,
      );
      // An intent id of another account cannot be referenced either (the foreign key is per account).
      await expect(
        riskDecisions.insert(accountB, { ...decision(accountA, 1), accountId: accountB }),
      ).rejects.toMatchObject({ code: 'FOREIGN_KEY_VIOLATION' });
    });

    it('accepts every core risk check code and refuses any other', async () => {
      const { riskDecisions } = store();
      for (const code of RISK_CHECK_CODES) {
        await riskDecisions.insert(
          accountA,
          decision(accountA, 3, { code, decision: code === 'ok' ? 'allow' : 'deny' }),
        );
      }
      expect((await riskDecisions.listByIntent(accountA, intentOf(accountA, 3))).map((d) => d.code)).toEqual([
        ...RISK_CHECK_CODES,
      ]);
      const error = await riskDecisions
        .insert(accountA, decision(accountA, 3, { code: 'vibes' as RiskCheckCode }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreQueryError);
      expect(error).toMatchObject({ code: 'CHECK_VIOLATION' });
    });
  });

  describe(`SqlSignalRepository (${backend.kind})`, () => {
    it('stores a signal once, with its reason and both times, listed by time and by run', async () => {
      const { signals } = store();
      const first = signal(accountA, runA, 'sig_1', { tsEvent: t0 + 100 });
      expect(await signals.insert(accountA, first)).toEqual({ value: first, created: true });
      expect(await signals.insert(accountA, { ...first, reason: 'again' })).toEqual({
        value: first,
        created: false,
      });
      const flat = signal(accountA, runA, 'sig_2', { direction: 'FLAT', strength: null, tsEvent: t0 });
      await signals.insert(accountA, flat);
      expect(await signals.listBetween(accountA, t0, t0 + 101)).toEqual([flat, first]);
      expect(await signals.listBetween(accountA, t0 + 1, t0 + 100)).toEqual([]);
      expect(await signals.listByRun(accountA, runA)).toEqual([flat, first]);
    });

    it('keeps accounts apart', async () => {
      const { signals } = store();
      await signals.insert(accountA, signal(accountA, runA, 'sig_1'));
      await signals.insert(accountB, signal(accountB, runB, 'sig_2'));
      expect((await signals.listBetween(accountB, t0, t0 + 1)).map((s) => s.id)).toEqual(['sig_2']);
      expect(await signals.listByRun(accountB, runA)).toEqual([]);
      await expect(signals.insert(accountB, signal(accountB, runB, 'sig_1'))).rejects.toThrow(
        /sig_1 already exists for a different account than acc_B/,
      );
      await expect(signals.insert(accountB, signal(accountA, runA, 'sig_3'))).rejects.toThrow(
        /belongs to account acc_A/,
      );
      await expect(signals.insert(accountB, signal(accountB, runA, 'sig_3'))).rejects.toMatchObject({
        code: 'FOREIGN_KEY_VIOLATION',
      });
    });
  });

  describe(`SqlTradingControlsRepository (${backend.kind})`, () => {
    it('returns the defaults before anything was saved', async () => {
      expect(await store().tradingControls.load()).toEqual(DEFAULT_TRADING_CONTROLS);
    });

    it('saves, reloads and replaces the one record of controls', async () => {
      const { tradingControls, driver } = store();
      const halted = {
        killSwitch: true,
        halted: { acc_A: 'daily loss cap ₹5,000.00 reached at 11:02 IST', acc_B: 'halted by the owner' },
        haltedDay: '2026-11-20',
        liveAcknowledgedDay: '2026-11-19',
      };
      expect(await tradingControls.save(halted)).toEqual(halted);
      expect(await tradingControls.load()).toEqual(halted);
      const resumed = { killSwitch: false, halted: {}, haltedDay: null, liveAcknowledgedDay: '2026-11-20' };
      expect(await tradingControls.save(resumed)).toEqual(resumed);
      expect(await tradingControls.load()).toEqual(resumed);
      const count = await driver.query<{ n: number }>('SELECT count(*) AS n FROM trading_controls');
      expect(count.rows[0]?.n).toBe(1);
    });

    it('refuses a day that is not a date, naming it', async () => {
      await expect(
        store().tradingControls.save({ ...DEFAULT_TRADING_CONTROLS, haltedDay: '20-11-2026' }),
      ).rejects.toThrow('halted day "20-11-2026" is not a YYYY-MM-DD date');
    });
  });
}
