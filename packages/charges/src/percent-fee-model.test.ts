import { instrumentId, paise } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { ChargesInputError } from './charges-errors.ts';
import { PercentFeeModel } from './percent-fee-model.ts';

const id = instrumentId('INFY', 'NSE');

describe('PercentFeeModel', () => {
  it('charges the percent of each order value, rounded half-up per order', () => {
    const model = new PercentFeeModel('0.03');
    const result = model.charges({
      tradeDate: '2026-03-02',
      exchange: 'NSE',
      segment: 'equity-intraday',
      orders: [
        // 10 × ₹1,500.05 = 15,00,050 paise × 0.03 % = 450.015 → 450
        { instrumentId: id, side: 'BUY', qty: 10, valuePaise: paise(1_500_050) },
        // 10 × ₹5.00 = 5,000 paise × 0.03 % = 1.5 → 2
        { instrumentId: id, side: 'SELL', qty: 10, valuePaise: paise(5_000) },
      ],
    });
    expect(result.brokeragePaise).toBe(452);
    expect(result.totalPaise).toBe(452);
    expect(result.sttPaise + result.gstPaise + result.stampPaise).toBe(0);
  });

  it('refuses a percent that is not a plain decimal in [0, 100]', () => {
    expect(() => new PercentFeeModel('abc')).toThrow(ChargesInputError);
    expect(() => new PercentFeeModel('-1')).toThrow(/decimal number/);
    expect(() => new PercentFeeModel('100.5')).toThrow(/at most 100/);
    expect(
      new PercentFeeModel('0').charges({
        tradeDate: '2026-03-02',
        exchange: 'NSE',
        segment: 'futures',
        orders: [{ instrumentId: id, side: 'BUY', qty: 1, valuePaise: paise(99_999) }],
      }).totalPaise,
    ).toBe(0);
  });
});
