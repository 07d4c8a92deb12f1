import { InvariantError } from '@kitepilot/core';

/**
 * Returns the child quantities of an order above the freeze quantity: each at most the freeze quantity and a
 * multiple of the lot size, summing to `qty`, largest first (e.g. 3,900 at lot 65, freeze 1,800 → 1,755, 1,755,
 * 390: the freeze rounds down to 27 lots). Returns [qty] when qty is within the freeze quantity.
 */
export function freezeSlices(qty: number, lotSize: number, freezeQty: number): number[] {
  if (!Number.isSafeInteger(qty) || qty <= 0 || qty % lotSize !== 0) {
    throw new InvariantError(
      `cannot slice quantity ${qty}: not a positive multiple of the lot size ${lotSize}`,
    );
  }
  const maxSlice = maxSliceQty(lotSize, freezeQty);
  const slices: number[] = [];
  let left = qty;
  while (left > maxSlice) {
    slices.push(maxSlice);
    left -= maxSlice;
  }
  slices.push(left);
  return slices;
}

/** Returns the largest lot multiple within the freeze quantity; throws when the freeze is below one lot. */
export function maxSliceQty(lotSize: number, freezeQty: number): number {
  const maxSlice = Math.floor(freezeQty / lotSize) * lotSize;
  if (maxSlice <= 0) {
    throw new InvariantError(`freeze quantity ${freezeQty} is below the lot size ${lotSize}: no slice fits`);
  }
  return maxSlice;
}
