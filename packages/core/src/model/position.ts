import { InvariantError } from './errors.ts';
import type { AccountId } from './ids.ts';
import type { Fill } from './fill.ts';
import type { InstrumentId } from './instrument-id.ts';
import { addPaise, mulPaise, paise, subPaise, type Paise } from './money.ts';
import type { Product } from './order-enums.ts';
import { divRound, divRoundNumber } from './rounding.ts';

/**
 * A net position per account × instrument × product, on average cost. `costBasisPaise` is the signed
 * cost of the open quantity (Σ signed qty × price; negative for a short), exact integer paise.
 */
export interface Position {
  readonly accountId: AccountId;
  readonly instrumentId: InstrumentId;
  readonly product: Product;
  /** Signed: > 0 long, < 0 short. */
  readonly netQty: number;
  readonly costBasisPaise: Paise;
  readonly realisedPnlPaise: Paise;
  readonly updatedAt: number;
}

/** Returns a flat position with no history. */
export function flatPosition(
  accountId: AccountId,
  instrumentId: InstrumentId,
  product: Product,
  at: number,
): Position {
  return {
    accountId,
    instrumentId,
    product,
    netQty: 0,
    costBasisPaise: paise(0),
    realisedPnlPaise: paise(0),
    updatedAt: at,
  };
}

/**
 * Returns the position after `fill`. A fill that reduces the position releases cost in proportion
 * (rounded half-up to the paisa); closing to zero releases all remaining cost, so the realised P&L of
 * a round trip is exactly Σ sell value − Σ buy value however the fills were split. A fill that crosses
 * zero closes the old side and opens the rest at the fill price.
 */
export function applyFill(position: Position, fill: Fill): Position {
  if (fill.accountId !== position.accountId || fill.instrumentId !== position.instrumentId) {
    throw new InvariantError(
      `fill ${fill.id} for ${fill.accountId}/${fill.instrumentId} applied to position ${position.accountId}/${position.instrumentId}`,
    );
  }
  if (fill.product !== position.product) {
    throw new InvariantError(`fill ${fill.id} has product ${fill.product}; position is ${position.product}`);
  }
  if (!Number.isSafeInteger(fill.qty) || fill.qty <= 0) {
    throw new InvariantError(`fill ${fill.id}: quantity ${fill.qty} must be a positive integer`);
  }
  const signedQty = fill.side === 'BUY' ? fill.qty : -fill.qty;
  const net = position.netQty;
  let cost = position.costBasisPaise;
  let realised = position.realisedPnlPaise;
  let newNet = net + signedQty;
  if (!Number.isSafeInteger(newNet))
    throw new InvariantError(`position quantity overflow: ${net} + ${signedQty}`);

  if (net === 0 || Math.sign(net) === Math.sign(signedQty)) {
    cost = addPaise(cost, mulPaise(fill.pricePaise, signedQty));
  } else {
    const closing = Math.min(Math.abs(net), fill.qty);
    const closingSigned = Math.sign(net) * closing;
    const released =
      closing === Math.abs(net)
        ? cost
        : paise(Number(divRound(BigInt(cost) * BigInt(closing), BigInt(Math.abs(net)), 'half-up')));
    realised = addPaise(realised, subPaise(mulPaise(fill.pricePaise, closingSigned), released));
    cost = subPaise(cost, released);
    const opening = fill.qty - closing;
    if (opening > 0) cost = mulPaise(fill.pricePaise, Math.sign(signedQty) * opening);
    newNet = net + signedQty;
  }
  return {
    accountId: position.accountId,
    instrumentId: position.instrumentId,
    product: position.product,
    netQty: newNet,
    costBasisPaise: newNet === 0 ? paise(0) : cost,
    realisedPnlPaise: realised,
    updatedAt: Math.max(position.updatedAt, fill.tsEvent),
  };
}

/** Returns the mark-to-market P&L of the open quantity: netQty × mark − cost basis. */
export function unrealisedPnlPaise(position: Position, markPaise: Paise): Paise {
  return subPaise(mulPaise(markPaise, position.netQty), position.costBasisPaise);
}

/** Returns the average open price rounded half-up to the paisa, or null when flat. */
export function averageOpenPricePaise(position: Position): Paise | null {
  if (position.netQty === 0) return null;
  return paise(divRoundNumber(position.costBasisPaise, position.netQty, 'half-up'));
}
