import type { PlaceRequest } from './order-request.ts';
import type { SimOrder } from './sim-order.ts';

/** Returns the order record of a parsed placement, in status PUT ORDER REQ RECEIVED. */
export function newOrder(req: PlaceRequest, orderId: string, userId: string, nowMs: number): SimOrder {
  const order: SimOrder = {
    orderId,
    exchangeOrderId: null,
    parentOrderId: null,
    status: 'PUT ORDER REQ RECEIVED',
    statusMessage: null,
    placedBy: userId,
    orderTimestampMs: nowMs,
    exchangeTimestampMs: null,
    exchangeUpdateTimestampMs: null,
    variety: req.variety,
    modified: false,
    instrument: req.instrument,
    orderType: req.orderType,
    side: req.side,
    validity: req.validity,
    validityTtl: req.validityTtl,
    product: req.product,
    quantity: req.quantity,
    disclosedQuantity: req.disclosedQuantity,
    pricePaise: req.orderType === 'LIMIT' || req.orderType === 'SL' ? req.pricePaise : 0,
    triggerPricePaise: req.orderType === 'SL' || req.orderType === 'SL-M' ? req.triggerPricePaise : 0,
    filledQuantity: 0,
    filledValuePaise: 0,
    cancelledQuantity: 0,
    marketProtection: req.marketProtection,
    tag: req.tag,
    guid: `sim-${orderId}`,
    modifications: 0,
    protectionLimitPaise: 0,
    lastMatchedSecond: 0,
    coverTriggerPaise: req.variety === 'co' ? req.triggerPricePaise : 0,
    meta:
      req.variety === 'iceberg'
        ? {
            iceberg: {
              leg: 1,
              legs: req.icebergLegs,
              leg_quantity: req.icebergQuantity,
              total_quantity: req.quantity,
              remaining_quantity: req.quantity,
            },
          }
        : {},
  };
  // A cover order's trigger belongs to its stop-loss leg, placed when the main order completes.
  if (req.variety === 'co') order.triggerPricePaise = 0;
  return order;
}
