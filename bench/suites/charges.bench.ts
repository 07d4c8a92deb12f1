// Charges hot path: one contract note per call, as a backtest charges each simulated trading day.
import { executedOrder, ZerodhaFeeModel } from '@kitepilot/charges';
import { asInstrumentId, paise } from '@kitepilot/core';
import type { BenchSuite } from '../bench-types.ts';
import { measureOps } from '../measure.ts';

/** Benchmarks of `@kitepilot/charges`. */
export const chargesSuite: BenchSuite = {
  name: 'charges',
  description: 'ZerodhaFeeModel contract notes: intraday round trip and a 20-order options day (single core)',
  run() {
    const model = new ZerodhaFeeModel();
    const infy = asInstrumentId('INFY.NSE');
    const roundTrip = {
      tradeDate: '2026-11-20',
      exchange: 'NSE',
      segment: 'equity-intraday',
      orders: [
        executedOrder(infy, 'BUY', [{ qty: 100, pricePaise: paise(100_000) }]),
        executedOrder(infy, 'SELL', [{ qty: 100, pricePaise: paise(101_000) }]),
      ],
    } as const;
    const options = {
      tradeDate: '2026-11-20',
      exchange: 'NFO',
      segment: 'options',
      orders: Array.from({ length: 20 }, (_, i) =>
        executedOrder(
          asInstrumentId(`NIFTY26NOV${24000 + 50 * (i % 5)}CE.NFO`),
          i % 2 === 0 ? 'BUY' : 'SELL',
          [{ qty: 65, pricePaise: paise(10_000 + i * 5) }],
        ),
      ),
    } as const;
    const expected = model.charges(roundTrip).totalPaise;
    const trip = measureOps(() => {
      if (model.charges(roundTrip).totalPaise !== expected) throw new Error('charges changed between runs');
    }, 1);
    const day = measureOps(() => model.charges(options), 1);
    return Promise.resolve([
      {
        name: 'contract note: intraday round trip',
        value: trip.opsPerSec,
        unit: 'notes/s',
        nsPerOp: trip.nsPerOp,
      },
      {
        name: 'contract note: 20 option orders',
        value: day.opsPerSec,
        unit: 'notes/s',
        nsPerOp: day.nsPerOp,
      },
    ]);
  },
};
