import {
  aFill,
  anIntent,
  anOrder,
  flatPosition,
  instrumentId,
  paise,
  parseAccountId,
  parseClientOrderId,
  parseFillId,
  parseIntentId,
  parseRunId,
  parseStrategyId,
  parseVenueOrderId,
  parseVenueTradeId,
  type AccountId,
  type Order,
  type RunId,
} from '@kitepilot/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { StoreQueryError } from '../../errors.ts';
import { configHash } from '../../repositories/run-repository.ts';
import type { Store } from '../../store.ts';
import type { StoreTestBackend } from '../store-test-backend.ts';
import { useMigratedStore } from './migrated-store.ts';

const accountA = parseAccountId('acc_A');
const accountB = parseAccountId('acc_B');
const runA = parseRunId('run_A');
const runB = parseRunId('run_B');
const strategy = parseStrategyId('str_test');
const t0 = Date.UTC(2026, 10, 20, 3, 45);
const reliance = instrumentId('RELIANCE', 'NSE');

async function seedAccounts(store: Store): Promise<void> {
  for (const [account, run] of [
    [accountA, runA],
    [accountB, runB],
  ] as const) {
    await store.accounts.create({ id: account, name: `account ${account}`, createdAt: t0 });
    await store.runs.create(account, {
      id: run,
      environment: 'paper',
      strategyId: strategy,
      config: { a: 1 },
      startedAt: t0,
    });
  }
}

function intentFor(account: AccountId, run: RunId, id = 'int_1') {
  return anIntent({ id: parseIntentId(id), accountId: account, runId: run });
}

function orderFor(account: AccountId, run: RunId, intentId = 'int_1', clientOrderId = 'ord_1'): Order {
  return anOrder({
    id: parseIntentId(intentId),
    accountId: account,
    runId: run,
    clientOrderId: parseClientOrderId(clientOrderId),
  });
}

/** Runs the account, run, intent, order, order-event, fill and position repository contract. */
export function tradingContract(backend: StoreTestBackend): void {
  const store = useMigratedStore(backend);

  beforeEach(async () => {
    await seedAccounts(store());
  });

  describe(`SqlAccountRepository (${backend.kind})`, () => {
    it('creates, gets and lists accounts and rejects a duplicate id', async () => {
      const { accounts } = store();
      expect(await accounts.get(accountA)).toEqual({ id: accountA, name: 'account acc_A', createdAt: t0 });
      expect((await accounts.list()).map((a) => a.id)).toEqual([accountA, accountB]);
      await expect(accounts.create({ id: accountA, name: 'again', createdAt: t0 })).rejects.toMatchObject({
        code: 'UNIQUE_VIOLATION',
      });
    });
  });

  describe(`SqlRunRepository (${backend.kind})`, () => {
    it('stores the config snapshot with a hash that ignores key order, and finishes a run once', async () => {
      const { runs } = store();
      const id = parseRunId('run_cfg');
      const run = await runs.create(accountA, {
        id,
        environment: 'backtest',
        strategyId: strategy,
        config: { risk: { cap: 500000, stop: 0.5 }, symbols: ['RELIANCE.NSE'] },
        startedAt: t0,
      });
      expect(run.configHash).toBe(
        configHash({ symbols: ['RELIANCE.NSE'], risk: { stop: 0.5, cap: 500000 } }),
      );
      expect(run.configHash).not.toBe(
        configHash({ symbols: ['RELIANCE.NSE'], risk: { stop: 0.5, cap: 500001 } }),
      );
      expect(await runs.get(accountA, id)).toEqual(run);
      const done = await runs.finish(accountA, id, {
        status: 'completed',
        finishedAt: t0 + 5,
        summary: { trades: 3 },
      });
      expect(done).toMatchObject({ status: 'completed', finishedAt: t0 + 5, summary: { trades: 3 } });
      await expect(
        runs.finish(accountA, id, { status: 'failed', finishedAt: t0 + 6, summary: null }),
      ).rejects.toThrow(/run run_cfg is already completed/);
      expect((await runs.listRecent(accountA, 10)).map((r) => r.id)).toEqual([id, runA]);
    });
  });

  describe(`SqlOrderIntentRepository (${backend.kind})`, () => {
    it('inserts an intent once: a second insert of the same id returns the stored row and writes nothing', async () => {
      const { intents, driver } = store();
      const intent = intentFor(accountA, runA);
      expect(await intents.insert(accountA, intent)).toEqual({ value: intent, created: true });
      const retry = { ...intent, qty: 99, reason: 'retried after crash' };
      expect(await intents.insert(accountA, retry)).toEqual({ value: intent, created: false });
      const count = await driver.query<{ n: number }>('SELECT count(*) AS n FROM order_intents');
      expect(count.rows[0]?.n).toBe(1);
    });

    it('makes concurrent inserts of one id produce exactly one row', async () => {
      const { intents, driver } = store();
      const intent = intentFor(accountA, runA);
      const outcomes = await Promise.all([1, 2, 3, 4].map(() => intents.insert(accountA, intent)));
      expect(outcomes.filter((o) => o.created)).toHaveLength(1);
      const count = await driver.query<{ n: number }>('SELECT count(*) AS n FROM order_intents');
      expect(count.rows[0]?.n).toBe(1);
    });

    it('refuses an intent of another account and a run of another account', async () => {
      const { intents } = store();
      await expect(intents.insert(accountB, intentFor(accountA, runA))).rejects.toThrow(
        /belongs to account acc_A/,
      );
      await expect(intents.insert(accountB, intentFor(accountB, runA))).rejects.toMatchObject({
        code: 'FOREIGN_KEY_VIOLATION',
      });
    });
  });

  describe(`SqlOrderRepository (${backend.kind})`, () => {
    it('saves and updates an order and finds it by venue order id, intent and non-terminal state', async () => {
      const { intents, orders } = store();
      await intents.insert(accountA, intentFor(accountA, runA));
      const created = orderFor(accountA, runA);
      expect(await orders.save(accountA, created)).toEqual(created);
      const open: Order = {
        ...created,
        status: 'OPEN',
        venueStatus: 'OPEN',
        venueOrderId: parseVenueOrderId('250101000000001'),
        filledQty: 0,
        appliedEventIds: ['ev1', 'ev2'],
        updatedAt: t0 + 10,
      };
      expect(await orders.save(accountA, open)).toEqual(open);
      expect(await orders.get(accountA, created.clientOrderId)).toEqual(open);
      expect(await orders.getByVenueOrderId(accountA, parseVenueOrderId('250101000000001'))).toEqual(open);
      expect(await orders.listByIntent(accountA, created.intentId)).toEqual([open]);
      expect(await orders.listNonTerminal(accountA)).toEqual([open]);
      await orders.save(accountA, {
        ...open,
        status: 'FILLED',
        filledQty: 1,
        filledValuePaise: paise(157370),
      });
      expect(await orders.listNonTerminal(accountA)).toEqual([]);
    });

    it('allows only one live or filled order per intent (invariant 3)', async () => {
      const { intents, orders } = store();
      await intents.insert(accountA, intentFor(accountA, runA));
      await orders.save(accountA, { ...orderFor(accountA, runA, 'int_1', 'ord_1'), status: 'SUBMITTED' });
      const error = await orders
        .save(accountA, orderFor(accountA, runA, 'int_1', 'ord_2'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreQueryError);
      expect(error).toMatchObject({ code: 'UNIQUE_VIOLATION', constraint: 'orders_one_live_per_intent' });
      await orders.save(accountA, { ...orderFor(accountA, runA, 'int_1', 'ord_1'), status: 'REJECTED' });
      await expect(orders.save(accountA, orderFor(accountA, runA, 'int_1', 'ord_2'))).resolves.toMatchObject({
        status: 'INITIALIZED',
      });
    });
  });

  describe(`SqlOrderEventRepository (${backend.kind})`, () => {
    it('appends raw broker messages verbatim and lists them in arrival order', async () => {
      const { intents, orders, orderEvents } = store();
      await intents.insert(accountA, intentFor(accountA, runA));
      const order = await orders.save(accountA, orderFor(accountA, runA));
      const venueOrderId = parseVenueOrderId('250101000000001');
      const payload = {
        order_id: '250101000000001',
        status: 'OPEN',
        average_price: 0,
        meta: { nested: [1, 'x', null] },
      };
      const first = await orderEvents.append(accountA, {
        clientOrderId: order.clientOrderId,
        venueOrderId,
        source: 'postback',
        venueStatus: 'OPEN',
        payload,
        receivedAt: t0,
      });
      const second = await orderEvents.append(accountA, {
        clientOrderId: null,
        venueOrderId,
        source: 'websocket',
        venueStatus: 'COMPLETE',
        payload: { status: 'COMPLETE' },
        receivedAt: t0 + 1,
      });
      expect(first).toMatchObject({ accountId: accountA, payload, receivedAt: t0 });
      expect(second.id).toBeGreaterThan(first.id);
      expect(await orderEvents.listByOrder(accountA, order.clientOrderId)).toEqual([first]);
      expect(await orderEvents.listByVenueOrder(accountA, venueOrderId)).toEqual([first, second]);
    });
  });

  describe(`SqlFillRepository (${backend.kind})`, () => {
    it('stores a venue trade id once per account, however often the trade is reported', async () => {
      const { intents, orders, fills } = store();
      await intents.insert(accountA, intentFor(accountA, runA));
      await orders.save(accountA, orderFor(accountA, runA));
      const fill = aFill({ accountId: accountA, clientOrderId: parseClientOrderId('ord_1') });
      expect(await fills.insert(accountA, fill)).toEqual({ value: fill, created: true });
      const again = { ...fill, id: parseFillId('fil_2'), tsInit: t0 + 99 };
      expect(await fills.insert(accountA, again)).toEqual({ value: fill, created: false });
      expect(await fills.listByOrder(accountA, fill.clientOrderId)).toEqual([fill]);
      expect(await fills.listBetween(accountA, fill.tsEvent, fill.tsEvent + 1)).toEqual([fill]);
      expect(await fills.listBetween(accountA, fill.tsEvent + 1, fill.tsEvent + 2)).toEqual([]);
      expect(await fills.getByVenueTradeId(accountA, parseVenueTradeId('10000001'))).toEqual(fill);
    });
  });

  describe(`SqlPositionRepository (${backend.kind})`, () => {
    it('keeps one position per account, instrument and product and round-trips money at the safe-integer edge', async () => {
      const { positions } = store();
      const max = Number.MAX_SAFE_INTEGER;
      const position = {
        ...flatPosition(accountA, reliance, 'MIS', t0),
        netQty: 3,
        costBasisPaise: paise(-max),
        realisedPnlPaise: paise(max),
      };
      expect(await positions.save(accountA, position)).toEqual(position);
      const flat = { ...position, netQty: 0, costBasisPaise: paise(0), updatedAt: t0 + 1 };
      await positions.save(accountA, flat);
      await positions.save(accountA, {
        ...flatPosition(accountA, reliance, 'CNC', t0),
        netQty: -2,
        costBasisPaise: paise(-314740),
      });
      expect(await positions.get(accountA, reliance, 'MIS')).toEqual(flat);
      expect((await positions.list(accountA)).map((p) => p.product)).toEqual(['CNC', 'MIS']);
      expect((await positions.list(accountA, { openOnly: true })).map((p) => p.product)).toEqual(['CNC']);
    });
  });

  describe(`account scoping (${backend.kind})`, () => {
    it('never returns account A rows to a read scoped to account B', async () => {
      const s = store();
      const intent = intentFor(accountA, runA);
      await s.intents.insert(accountA, intent);
      const order = await s.orders.save(accountA, {
        ...orderFor(accountA, runA),
        venueOrderId: parseVenueOrderId('9001'),
        status: 'OPEN',
      });
      await s.orderEvents.append(accountA, {
        clientOrderId: order.clientOrderId,
        venueOrderId: parseVenueOrderId('9001'),
        source: 'orderbook',
        venueStatus: 'OPEN',
        payload: {},
        receivedAt: t0,
      });
      const fill = aFill({ accountId: accountA, clientOrderId: order.clientOrderId });
      await s.fills.insert(accountA, fill);
      await s.positions.save(accountA, {
        ...flatPosition(accountA, reliance, 'MIS', t0),
        netQty: 1,
        costBasisPaise: paise(157370),
      });
      await s.audit.append({
        accountId: accountA,
        ts: t0,
        kind: 'order.submitted',
        actor: 'system',
        payload: {},
      });

      expect(await s.intents.get(accountB, intent.id)).toBeNull();
      expect(await s.intents.listByRun(accountB, runA)).toEqual([]);
      expect(await s.orders.get(accountB, order.clientOrderId)).toBeNull();
      expect(await s.orders.getByVenueOrderId(accountB, parseVenueOrderId('9001'))).toBeNull();
      expect(await s.orders.listByIntent(accountB, intent.id)).toEqual([]);
      expect(await s.orders.listNonTerminal(accountB)).toEqual([]);
      expect(await s.orderEvents.listByOrder(accountB, order.clientOrderId)).toEqual([]);
      expect(await s.orderEvents.listByVenueOrder(accountB, parseVenueOrderId('9001'))).toEqual([]);
      expect(await s.fills.getByVenueTradeId(accountB, fill.venueTradeId)).toBeNull();
      expect(await s.fills.listByOrder(accountB, order.clientOrderId)).toEqual([]);
      expect(await s.fills.listBetween(accountB, 0, t0 * 2)).toEqual([]);
      expect(await s.positions.get(accountB, reliance, 'MIS')).toBeNull();
      expect(await s.positions.list(accountB)).toEqual([]);
      expect(await s.runs.get(accountB, runA)).toBeNull();
      expect((await s.runs.listRecent(accountB, 10)).map((r) => r.id)).toEqual([runB]);
      expect(await s.audit.readByAccount(accountB, 0, 10)).toEqual([]);

      // The same reads scoped to A do see the rows, so the empty results above are due to scoping alone.
      expect(await s.intents.get(accountA, intent.id)).toEqual(intent);
      expect(await s.orders.listNonTerminal(accountA)).toHaveLength(1);
      expect(await s.fills.listByOrder(accountA, order.clientOrderId)).toEqual([fill]);
      expect(await s.audit.readByAccount(accountA, 0, 10)).toHaveLength(1);
    });

    it('lets two accounts hold the same venue trade id and refuses saving an order under the wrong account', async () => {
      const s = store();
      for (const [account, run] of [
        [accountA, runA],
        [accountB, runB],
      ] as const) {
        await s.intents.insert(account, intentFor(account, run, `int_${account.slice(4)}`));
        await s.orders.save(
          account,
          orderFor(account, run, `int_${account.slice(4)}`, `ord_${account.slice(4)}`),
        );
        const fill = aFill({
          id: parseFillId(`fil_${account.slice(4)}`),
          accountId: account,
          clientOrderId: parseClientOrderId(`ord_${account.slice(4)}`),
        });
        expect((await s.fills.insert(account, fill)).created).toBe(true);
      }
      await expect(s.orders.save(accountB, orderFor(accountA, runA, 'int_A', 'ord_A'))).rejects.toThrow(
        /belongs to account acc_A/,
      );
      const hijack = { ...orderFor(accountB, runB, 'int_B', 'ord_A') };
      await expect(s.orders.save(accountB, hijack)).rejects.toThrow(
        /ord_A exists with another account or intent/,
      );
    });
  });
}
