// GTT triggers (kite-connect.md §2.3).
import type { Paise } from '@kitepilot/core';
import { readIstField } from './kite-time.ts';
import { arr, int, obj, pricePaise, str, valuePricePaise, type KiteJson } from './kite-values.ts';

/** One order of a GTT. */
export interface KiteGttOrder {
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly product: string;
  readonly orderType: string;
  readonly transactionType: string;
  readonly quantity: number;
  readonly pricePaise: Paise;
  /** The outcome once fired (as sent), or null. */
  readonly result: KiteJson | null;
}

/** A GTT trigger. */
export interface KiteGtt {
  readonly id: number;
  readonly type: 'single' | 'two-leg';
  readonly status: string;
  readonly createdAtMs: number | null;
  readonly updatedAtMs: number | null;
  readonly expiresAtMs: number | null;
  readonly condition: {
    readonly exchange: string;
    readonly tradingsymbol: string;
    readonly instrumentToken: number;
    readonly triggerValuesPaise: readonly Paise[];
    readonly lastPricePaise: Paise;
  };
  readonly orders: readonly KiteGttOrder[];
}

/** Returns a GTT trigger. */
export function parseGtt(v: unknown): KiteGtt {
  const o = obj(v, 'gtt');
  const c = obj(o['condition'], 'gtt condition');
  const type = str(o, 'type');
  if (type !== 'single' && type !== 'two-leg')
    throw new RangeError(`GTT type ${JSON.stringify(type)} is unknown`);
  return {
    id: int(o, 'id'),
    type,
    status: str(o, 'status'),
    createdAtMs: readIstField(o['created_at']),
    updatedAtMs: readIstField(o['updated_at']),
    expiresAtMs: readIstField(o['expires_at']),
    condition: {
      exchange: str(c, 'exchange'),
      tradingsymbol: str(c, 'tradingsymbol'),
      instrumentToken: int(c, 'instrument_token'),
      triggerValuesPaise: arr(c['trigger_values'] ?? [], 'trigger_values').map((x, i) =>
        valuePricePaise(x, `trigger_values[${i}]`),
      ),
      lastPricePaise: pricePaise(c, 'last_price'),
    },
    orders: arr(o['orders'] ?? [], 'gtt orders').map((x) => {
      const g = obj(x, 'gtt order');
      return {
        exchange: str(g, 'exchange'),
        tradingsymbol: str(g, 'tradingsymbol'),
        product: str(g, 'product'),
        orderType: str(g, 'order_type'),
        transactionType: str(g, 'transaction_type'),
        quantity: int(g, 'quantity'),
        pricePaise: pricePaise(g, 'price'),
        result: g['result'] === undefined || g['result'] === null ? null : obj(g['result'], 'gtt result'),
      };
    }),
  };
}
