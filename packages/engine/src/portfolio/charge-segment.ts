import { InvariantError, type ChargeSegment, type Instrument, type Product } from '@kitepilot/core';

/**
 * Returns the contract-note segment of a trade (market-rules.md §1.3): EQ MIS → equity-intraday, EQ CNC/MTF/NRML →
 * equity-delivery, FUT → futures, CE/PE → options; throws InvariantError for an index, which cannot trade.
 */
export function chargeSegmentOf(instrument: Instrument, product: Product): ChargeSegment {
  switch (instrument.type) {
    case 'EQ':
      return product === 'MIS' ? 'equity-intraday' : 'equity-delivery';
    case 'FUT':
      return 'futures';
    case 'CE':
    case 'PE':
      return 'options';
    case 'INDEX':
      throw new InvariantError(`instrument ${instrument.id} is an index: it has no charge segment`);
  }
}
