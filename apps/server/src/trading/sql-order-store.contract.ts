// The SqlOrderStore suite, run on PGlite (sql-order-store.pglite.test.ts) and on PostgreSQL
// (sql-order-store.postgres.test.ts). Each test uses its own account, so tests share one migrated database.
import {
  aFill,
  anIntent,
  anOrder,
  DEFAULT_TRADING_CONTROLS,
  flatPosition,
  instrumentId,
  istToEpochMs,
  paise,
  parseAccountId,
  parseClientOrderId,
  parseFillId,
  parseIntentId,
  parseRunId,
  parseSignalId,
  parseStrategyId,
  parseVenueOrderId,
  parseVenueTradeId,
  type AccountId,
  type Order,
  type RiskDecision,
  type RunId,
} from '@kitepilot/core';
import type { Store } from '@kitepilot/store';
import { describe, expect, it } from 'vitest';
import { SqlOrderStore } from './sql-order-store.ts';

const strategy = parseStrategyId('str_test');
const reliance = instrumentId('RELIANCE', 'NSE');
const dayStart = istToEpochMs('2026-11-20', '00:00');
const dayEnd = istToEpochMs('2026-11-21', '00:00');
const today = istToEpochMs('2026-11-20', '10:00');
const yesterday = istToEpochMs('2026-11-19', '10:00');

let accounts = 0;

/** Creates a fresh account with one run; returns both. */
async function anAccount(store: Store): Promise<{ account: AccountId; run: RunId }> {
  accounts += 1;
  const account = parseAccountId(`acc_O${accounts}`);
  const run = parseRunId(`run_O${accounts}`);
  await store.accounts.create({ id: account, name: `orders ${accounts}`, createdAt: yesterday });
  await store.runs.create(account, {
    id: run,
    environment: 'paper',
    strategyId: strategy,
    config: {},
    startedAt: yesterday,
  });
  return { account, run };
}

function decision(intent: { accountId: AccountId; id: string }, allow: boolean, at: number): RiskDecision {
  return {
    accountId: intent.accountId,
    intentId: parseIntentId(intent.id),
    strategyId: strategy,
    decision: allow ? 'allow' : 'deny',
    code: allow ? 'ok' : 'orders-per-day',
    reason: allow ? 'all checks passed' : '21 orders today exceed the limit of 20',
    slices: null,
    inputs: { ordersToday: allow ? 3 : 21 },
    decidedAt: at,
  };
}

/** Runs the SqlOrderStore suite over the store `store()` returns (migrated, open). */
export function sqlOrderStoreContract(store: () => Store): void {
  describe('SqlOrderStore', () => {
    it('writes intents, decisions, signals, orders, fills and positions and reads them back', async () => {
      const s = store();
      const { account, run } = await anAccount(s);
      const orders = new SqlOrderStore(s);
      const intent = anIntent({ id: parseIntentId('int_W1'), accountId: account, runId: run });
      expect(await orders.insertIntent(intent)).toEqual({ value: intent, created: true });
      expect(await orders.insertIntent({ ...intent, qty: 5 })).toEqual({ value: intent, created: false });
      expect(await orders.getIntent(account, intent.id)).toEqual(intent);

      await orders.insertRiskDecision(decision(intent, true, today));
      expect(await s.riskDecisions.listByIntent(account, intent.id)).toMatchObject([
        { decision: 'allow', code: 'ok', inputs: { ordersToday: 3 } },
      ]);
      const signal = {
        id: parseSignalId(`sig_W${accounts}`),
        accountId: account,
        runId: run,
        strategyId: strategy,
        instrumentId: reliance,
        direction: 'LONG' as const,
        strength: null,
        reason: 'breakout above the opening range high ₹1,575.00',
        tsEvent: today,
        tsInit: today + 2,
      };
      await orders.insertSignal(signal);
      expect(await s.signals.listByRun(account, run)).toEqual([signal]);

      const order: Order = {
        ...anOrder({
          id: intent.id,
          accountId: account,
          runId: run,
          clientOrderId: parseClientOrderId(`ord_W${accounts}`),
        }),
        status: 'OPEN',
        venueOrderId: parseVenueOrderId(`2511200000${accounts}`),
      };
      await orders.saveOrder(order);
      expect(await orders.getOrder(account, order.clientOrderId)).toEqual(order);
      expect(await orders.getOrderByVenueId(account, parseVenueOrderId(`2511200000${accounts}`))).toEqual(
        order,
      );
      expect(await orders.listOrdersByIntent(account, intent.id)).toEqual([order]);

      const fill = aFill({
        id: parseFillId(`fil_W${accounts}`),
        accountId: account,
        clientOrderId: order.clientOrderId,
        venueTradeId: parseVenueTradeId(`T${accounts}`),
      });
      expect(await orders.insertFill(fill)).toEqual({ value: fill, created: true });
      const again = { ...fill, id: parseFillId(`fil_W${accounts}x`) };
      expect(await orders.insertFill(again)).toEqual({ value: fill, created: false });

      const position = {
        ...flatPosition(account, reliance, 'MIS', today),
        netQty: 1,
        costBasisPaise: paise(157370),
      };
      await orders.savePosition(position);
      expect(await s.positions.list(account)).toEqual([position]);
    });

    it('stores a raw broker message verbatim, also when it names an order that was never stored', async () => {
      const s = store();
      const { account, run } = await anAccount(s);
      const orders = new SqlOrderStore(s);
      const intent = await orders.insertIntent(
        anIntent({ id: parseIntentId('int_E1'), accountId: account, runId: run }),
      );
      const order = anOrder({
        id: intent.value.id,
        accountId: account,
        runId: run,
        clientOrderId: parseClientOrderId(`ord_E${accounts}`),
      });
      await orders.saveOrder(order);
      const known = {
        clientOrderId: order.clientOrderId,
        venueOrderId: parseVenueOrderId('900001'),
        source: 'postback' as const,
        venueStatus: 'OPEN',
        payload: { order_id: '900001', status: 'OPEN', tag: 'int_E1' },
        receivedAt: today,
      };
      const stray = {
        ...known,
        clientOrderId: parseClientOrderId('ord_neverStored'),
        venueOrderId: parseVenueOrderId('900002'),
        venueStatus: 'COMPLETE',
        payload: { order_id: '900002', status: 'COMPLETE', tag: 'int_elsewhere', unexpected: [1, 2] },
      };
      await orders.appendOrderEvent(account, known);
      await orders.appendOrderEvent(account, stray);
      expect(await s.orderEvents.listByOrder(account, order.clientOrderId)).toMatchObject([
        { payload: known.payload },
      ]);
      expect(await s.orderEvents.listByVenueOrder(account, parseVenueOrderId('900002'))).toMatchObject([
        { clientOrderId: null, venueStatus: 'COMPLETE', payload: stray.payload },
      ]);
    });

    it('recovers open orders, positions, the intents of open and today orders, abandoned intents and today fills', async () => {
      const s = store();
      const { account, run } = await anAccount(s);
      const other = await anAccount(s);
      const orders = new SqlOrderStore(s);
      const n = accounts;
      const intentAt = async (id: string, at: number, account_ = account, run_ = run) =>
        (
          await orders.insertIntent(
            anIntent({ id: parseIntentId(id), accountId: account_, runId: run_, tsEvent: at, tsInit: at }),
          )
        ).value;
      const orderOf = async (intentId: string, id: string, at: number, status: Order['status']) => {
        const order = {
          ...anOrder({
            id: parseIntentId(intentId),
            accountId: account,
            runId: run,
            clientOrderId: parseClientOrderId(id),
            createdAt: at,
            tsEvent: at,
          }),
          status,
        };
        await orders.saveOrder(order);
        return order;
      };
      // Yesterday: an order still open (a CNC limit left working), a filled one, an intent never sent.
      const carried = await intentAt('int_R1', yesterday);
      const carriedOrder = await orderOf('int_R1', `ord_R1n${n}`, yesterday, 'OPEN');
      await intentAt('int_R2', yesterday);
      await orderOf('int_R2', `ord_R2n${n}`, yesterday, 'FILLED');
      await intentAt('int_R3', yesterday);
      // Today: a filled order, a working one, an allowed intent lost in a crash before its order, a denied intent.
      const filledToday = await intentAt('int_R4', today);
      await orderOf('int_R4', `ord_R4n${n}`, today, 'FILLED');
      const working = await intentAt('int_R5', today + 1000);
      const workingOrder = await orderOf('int_R5', `ord_R5n${n}`, today + 1000, 'SUBMITTED');
      const abandoned = await intentAt('int_R6', today + 2000);
      await orders.insertRiskDecision(decision(abandoned, true, today + 2000));
      const denied = await intentAt('int_R7', today + 3000);
      await orders.insertRiskDecision(decision(denied, false, today + 3000));
      const noDecision = await intentAt('int_R8', today + 4000);
      // Another account's rows never show.
      await intentAt('int_R9', today, other.account, other.run);

      const fillToday = aFill({
        id: parseFillId(`fil_R4n${n}`),
        accountId: account,
        clientOrderId: parseClientOrderId(`ord_R4n${n}`),
        venueTradeId: parseVenueTradeId(`R4n${n}`),
        tsEvent: today + 10,
        tsInit: today + 10,
      });
      await orders.insertFill(fillToday);
      await orders.insertFill(
        aFill({
          id: parseFillId(`fil_R2n${n}`),
          accountId: account,
          clientOrderId: parseClientOrderId(`ord_R2n${n}`),
          venueTradeId: parseVenueTradeId(`R2n${n}`),
          tsEvent: yesterday,
          tsInit: yesterday,
        }),
      );
      const flat = { ...flatPosition(account, reliance, 'MIS', today), realisedPnlPaise: paise(-2350) };
      const long = {
        ...flatPosition(account, instrumentId('INFY', 'NSE'), 'CNC', today),
        netQty: 3,
        costBasisPaise: paise(465000),
      };
      await orders.savePosition(flat);
      await orders.savePosition(long);

      const state = await orders.loadState(account, dayStart, dayEnd);
      expect(state.openOrders).toEqual([carriedOrder, workingOrder]);
      expect(state.positions).toEqual([long, flat]);
      expect(state.intents).toEqual([carried, filledToday, working]);
      expect(state.intentsWithoutOrder).toEqual([abandoned, noDecision]);
      expect(state.fillsToday).toEqual([fillToday]);

      const empty = await orders.loadState(other.account, dayStart, dayEnd);
      expect(empty).toMatchObject({ openOrders: [], positions: [], intents: [], fillsToday: [] });
      expect(empty.intentsWithoutOrder.map((i) => i.id)).toEqual(['int_R9']);
    });

    it('loads the default controls until some are saved, then the saved ones', async () => {
      const orders = new SqlOrderStore(store());
      expect(await orders.loadControls()).toEqual(DEFAULT_TRADING_CONTROLS);
      const controls = {
        killSwitch: true,
        halted: { acc_O1: 'daily loss cap reached' },
        haltedDay: '2026-11-20',
        liveAcknowledgedDay: '2026-11-20',
      };
      await orders.saveControls(controls);
      expect(await orders.loadControls()).toEqual(controls);
    });
  });
}
