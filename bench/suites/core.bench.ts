// Core hot paths: the order state machine, exact rate arithmetic and the calendar's phase lookup.
import {
  anOrder,
  applyOrderEvent,
  applyRate,
  NseCalendar,
  paise,
  parseVenueOrderId,
  parseVenueTradeId,
  rate,
  type OrderEvent,
} from '@kitepilot/core';
import type { BenchSuite } from '../bench-types.ts';
import { measureOps } from '../measure.ts';

const T0 = Date.UTC(2026, 10, 23, 4, 0, 0);

function lifecycleEvents(): OrderEvent[] {
  const venueOrderId = parseVenueOrderId('250101000000001');
  const status = (id: string, s: string, dt: number): OrderEvent => ({
    type: 'venue-status',
    id,
    ts: T0 + dt,
    status: s,
    venueOrderId,
    filledQty: null,
    cancelledQty: null,
    message: null,
    amendment: null,
  });
  return [
    { type: 'submit', id: 'e1', ts: T0 + 1, venueOrderId },
    status('e2', 'PUT ORDER REQ RECEIVED', 2),
    status('e3', 'VALIDATION PENDING', 3),
    status('e4', 'OPEN PENDING', 4),
    status('e5', 'OPEN', 5),
    {
      type: 'fill',
      id: 'e6',
      ts: T0 + 6,
      venueTradeId: parseVenueTradeId('1001'),
      qty: 40,
      pricePaise: paise(157370),
    },
    {
      type: 'fill',
      id: 'e7',
      ts: T0 + 7,
      venueTradeId: parseVenueTradeId('1002'),
      qty: 25,
      pricePaise: paise(157380),
    },
    status('e8', 'COMPLETE', 8),
  ];
}

/** Benchmarks of `@kitepilot/core`. */
export const coreSuite: BenchSuite = {
  name: 'core',
  description: 'order state machine, exact rates, calendar phase lookup (single core)',
  run() {
    const order = anOrder({ qty: 65 });
    const events = lifecycleEvents();
    const lifecycle = measureOps(() => {
      let o = order;
      for (const e of events) o = applyOrderEvent(o, e);
      if (o.status !== 'FILLED') throw new Error(`expected FILLED, got ${o.status}`);
    }, events.length);

    const stt = rate('0.00025');
    const values = Array.from({ length: 1000 }, (_, i) => paise(10_000_000 + i * 7919));
    const rates = measureOps(() => {
      for (const v of values) applyRate(v, stt, 'rupee');
    }, values.length);

    const calendar = new NseCalendar();
    const instants = Array.from({ length: 1000 }, (_, i) => T0 + i * 37_000);
    const phases = measureOps(() => {
      for (const t of instants) calendar.phaseAt(t, 'equity');
    }, instants.length);

    return Promise.resolve([
      {
        name: 'order state machine: events applied',
        value: lifecycle.opsPerSec,
        unit: 'events/s',
        nsPerOp: lifecycle.nsPerOp,
      },
      {
        name: 'applyRate (BigInt, half-up to the rupee)',
        value: rates.opsPerSec,
        unit: 'ops/s',
        nsPerOp: rates.nsPerOp,
      },
      { name: 'NseCalendar.phaseAt', value: phases.opsPerSec, unit: 'ops/s', nsPerOp: phases.nsPerOp },
    ]);
  },
};
