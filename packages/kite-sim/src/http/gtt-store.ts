// GTT triggers (kite-connect.md §2.3 "GTT Trigger"): stored and returned; the simulator does not fire them.
import { inputError, KiteApiError } from '../kite-api-error.ts';
import { kiteTimestamp } from '../ist-format.ts';
import type { SimInstrument } from '../market/sim-instrument.ts';

interface Trigger {
  readonly id: number;
  type: 'single' | 'two-leg';
  condition: Record<string, unknown>;
  orders: Record<string, unknown>[];
  readonly createdMs: number;
  updatedMs: number;
  status: 'active' | 'deleted';
}

function parseJson(text: string | undefined, name: string): unknown {
  if (text === undefined || text === '') throw inputError(`Missing \`${name}\``);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw inputError(
      `Invalid \`${name}\`: not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/** The account's GTT triggers. */
export class GttStore {
  readonly #triggers = new Map<number, Trigger>();
  readonly #userId: string;
  #next = 100_000;

  /** Creates an empty store for `userId`. */
  constructor(userId: string) {
    this.#userId = userId;
  }

  #parse(form: Readonly<Record<string, string>>, lookup: (key: string) => SimInstrument | undefined) {
    const type = form['type'];
    if (type !== 'single' && type !== 'two-leg') throw inputError(`Invalid \`type\` ${JSON.stringify(type)}`);
    const condition = parseJson(form['condition'], 'condition') as Record<string, unknown>;
    const orders = parseJson(form['orders'], 'orders');
    const values = condition['trigger_values'];
    if (!Array.isArray(values) || values.length !== (type === 'single' ? 1 : 2)) {
      throw inputError(`A ${type} GTT needs ${type === 'single' ? 1 : 2} trigger values`);
    }
    if (!Array.isArray(orders) || orders.length === 0) throw inputError('Missing GTT `orders`');
    const instrument = lookup(`${String(condition['exchange'])}:${String(condition['tradingsymbol'])}`);
    if (instrument === undefined) throw inputError('The GTT instrument does not exist');
    return {
      type,
      condition: { ...condition, instrument_token: instrument.instrumentToken },
      orders: (orders as Record<string, unknown>[]).map((o) => ({ ...o, result: null })),
    } as const;
  }

  /** Creates a trigger and returns its id. */
  place(
    form: Readonly<Record<string, string>>,
    lookup: (key: string) => SimInstrument | undefined,
    nowMs: number,
  ): number {
    const parsed = this.#parse(form, lookup);
    const id = this.#next++;
    this.#triggers.set(id, { id, ...parsed, createdMs: nowMs, updatedMs: nowMs, status: 'active' });
    return id;
  }

  /** Replaces a trigger's type, condition and orders. */
  modify(
    id: number,
    form: Readonly<Record<string, string>>,
    lookup: (key: string) => SimInstrument | undefined,
    nowMs: number,
  ): number {
    const trigger = this.#live(id);
    const parsed = this.#parse(form, lookup);
    trigger.type = parsed.type;
    trigger.condition = parsed.condition;
    trigger.orders = parsed.orders;
    trigger.updatedMs = nowMs;
    return id;
  }

  /** Deletes a trigger. */
  delete(id: number, nowMs: number): number {
    const trigger = this.#live(id);
    trigger.status = 'deleted';
    trigger.updatedMs = nowMs;
    return id;
  }

  #live(id: number): Trigger {
    const trigger = this.#triggers.get(id);
    if (trigger === undefined || trigger.status === 'deleted') {
      throw new KiteApiError(404, 'InputException', `Trigger ${id} not found.`);
    }
    return trigger;
  }

  /** Returns one trigger's JSON. */
  get(id: number): Record<string, unknown> {
    return this.#json(this.#live(id));
  }

  /** Returns every live trigger's JSON. */
  list(): Record<string, unknown>[] {
    return [...this.#triggers.values()].filter((t) => t.status !== 'deleted').map((t) => this.#json(t));
  }

  #json(t: Trigger): Record<string, unknown> {
    return {
      id: t.id,
      user_id: this.#userId,
      parent_trigger: null,
      type: t.type,
      created_at: kiteTimestamp(t.createdMs),
      updated_at: kiteTimestamp(t.updatedMs),
      expires_at: kiteTimestamp(t.createdMs + 365 * 86_400_000),
      status: t.status,
      condition: t.condition,
      orders: t.orders,
      meta: { simulated: true },
    };
  }
}
