// Exposure after an order, in exact paise. The intent's instrument: |Σ netQty + same-side working qty + this qty| at
// the order's reference price. Every other instrument: its larger possible |quantity| if all of its working orders
// of one side filled, at its mark, else a working order's price, else (no orders) its cost basis.
import { sideSign, type InstrumentId, type OrderIntent, type Paise } from '@kitepilot/core';
import { absBig } from './risk-format.ts';
import type { RiskSnapshot } from './risk-types.ts';

/** The exposure figures of an entry. */
export interface ExposureAfter {
  /** |quantity| of the intent's instrument after the order and its same-side working orders. */
  readonly instrumentQtyAfter: bigint;
  /** That quantity × the reference price, or null when no reference price is known. */
  readonly instrumentPaise: bigint | null;
  /** Σ over instruments, or null when some instrument has no price to value it with. */
  readonly totalPaise: bigint | null;
  /** Why a figure is null, or null. */
  readonly unknownReason: string | null;
}

interface InstrumentBook {
  net: bigint;
  cost: bigint;
  buyLeaves: bigint;
  sellLeaves: bigint;
  mark: Paise | null;
  orderPrice: Paise | null;
}

function books(snapshot: RiskSnapshot): Map<InstrumentId, InstrumentBook> {
  const out = new Map<InstrumentId, InstrumentBook>();
  const book = (id: InstrumentId): InstrumentBook => {
    let b = out.get(id);
    if (b === undefined) {
      b = { net: 0n, cost: 0n, buyLeaves: 0n, sellLeaves: 0n, mark: null, orderPrice: null };
      out.set(id, b);
    }
    return b;
  };
  for (const p of snapshot.positions) {
    const b = book(p.instrumentId);
    b.net += BigInt(p.netQty);
    b.cost += BigInt(p.costBasisPaise);
    b.mark ??= p.markPaise;
  }
  for (const o of snapshot.openOrders) {
    const b = book(o.instrumentId);
    if (o.side === 'BUY') b.buyLeaves += BigInt(o.leavesQty);
    else b.sellLeaves += BigInt(o.leavesQty);
    b.orderPrice ??= o.pricePaise;
  }
  return out;
}

/** Returns the exposure of the intent's instrument and the total exposure after the order. */
export function exposureAfter(
  intent: OrderIntent,
  snapshot: RiskSnapshot,
  referencePricePaise: Paise | null,
): ExposureAfter {
  const all = books(snapshot);
  const own = all.get(intent.instrumentId);
  const sign = BigInt(sideSign(intent.side));
  const sameSide = own === undefined ? 0n : intent.side === 'BUY' ? own.buyLeaves : own.sellLeaves;
  const qtyAfter = absBig((own?.net ?? 0n) + sign * (sameSide + BigInt(intent.qty)));
  let unknownReason: string | null =
    referencePricePaise === null ? `no price is known for ${intent.instrumentId} to value the order` : null;
  const instrumentPaise = referencePricePaise === null ? null : qtyAfter * BigInt(referencePricePaise);
  let total = instrumentPaise ?? 0n;
  for (const [id, b] of all) {
    if (id === intent.instrumentId) continue;
    const up = absBig(b.net + b.buyLeaves);
    const down = absBig(b.net - b.sellLeaves);
    const qty = up > down ? up : down;
    const price = b.mark ?? b.orderPrice;
    if (price !== null) total += qty * BigInt(price);
    else if (b.buyLeaves === 0n && b.sellLeaves === 0n) total += absBig(b.cost);
    else unknownReason ??= `no price is known for ${id} to value its exposure`;
  }
  return {
    instrumentQtyAfter: qtyAfter,
    instrumentPaise,
    totalPaise: unknownReason === null ? total : null,
    unknownReason,
  };
}
