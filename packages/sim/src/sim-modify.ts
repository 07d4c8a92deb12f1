import type { Instrument, ModifyOrder, Paise } from '@kitepilot/core';
import { termsProblem, type CheckedTerms } from './sim-order-checks.ts';
import type { SimOrder } from './sim-order.ts';

/** Kite's cap on modifications of one order (kite-connect.md §2.4). */
export const MAX_MODIFICATIONS = 25;

/** The outcome of checking a modification: the new terms, or why the venue refuses it. */
export type ModifyCheck =
  { readonly ok: true; readonly terms: CheckedTerms } | { readonly ok: false; readonly reason: string };

function rupees(p: number): string {
  return (p / 100).toFixed(2);
}

/**
 * Returns the terms a modification of a working order leads to (null fields keep the current value), or
 * the refusal: past MAX_MODIFICATIONS, a price or trigger the order type does not have, a quantity not
 * above the filled quantity, or a failed venue check (termsProblem; the trigger is checked against the
 * last price only while the stop is pending).
 */
export function modifyCheck(
  sim: SimOrder,
  command: ModifyOrder,
  instrument: Instrument,
  lastPricePaise: Paise | null,
): ModifyCheck {
  const id = sim.venueOrderId;
  const refuse = (reason: string): ModifyCheck => ({ ok: false, reason });
  if (sim.modifications >= MAX_MODIFICATIONS) {
    return refuse(`Maximum allowed order modifications (${MAX_MODIFICATIONS}) exceeded for order ${id}.`);
  }
  const type = sim.order.orderType;
  if (command.limitPricePaise !== null && sim.limitPricePaise === null) {
    return refuse(`A ${type} order has no price; price ${rupees(command.limitPricePaise)} cannot be set.`);
  }
  if (command.triggerPricePaise !== null && sim.triggerPricePaise === null) {
    return refuse(
      `A ${type} order has no trigger price; trigger price ${rupees(command.triggerPricePaise)} cannot be set.`,
    );
  }
  const terms: CheckedTerms = {
    side: sim.order.side,
    orderType: type,
    qty: command.qty ?? sim.qty,
    limitPricePaise: command.limitPricePaise ?? sim.limitPricePaise,
    triggerPricePaise: command.triggerPricePaise ?? sim.triggerPricePaise,
  };
  if (terms.qty <= sim.filledQty) {
    return refuse(`Quantity ${terms.qty} must exceed the filled quantity ${sim.filledQty} of order ${id}.`);
  }
  const problem = termsProblem(instrument, terms, lastPricePaise, sim.state === 'TRIGGER PENDING');
  return problem === null ? { ok: true, terms } : refuse(problem);
}
