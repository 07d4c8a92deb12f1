import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIntentId } from './ids.ts';
import { paise } from './money.ts';
import { intentIdFromTag, intentTag } from './order-intent.ts';
import { anIntent } from './testing.ts';

describe('intentTag', () => {
  it('makes a Kite tag (alphanumeric, ≤ 20) that inverts to the intent id', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z]{1,18}$/), (body) => {
        const id = parseIntentId(`int_${body}`);
        const tag = intentTag(id);
        expect(tag).toMatch(/^[0-9A-Za-z]{1,20}$/);
        expect(intentIdFromTag(tag)).toBe(id);
      }),
    );
  });

  it('returns null for tags we did not make', () => {
    for (const tag of [null, 'mktp', 'autoslice', 'KP', 'KPabc-def', `KP${'1'.repeat(19)}`]) {
      expect(intentIdFromTag(tag)).toBeNull();
    }
  });
});

describe('makeIntent', () => {
  it('checks quantities and the prices each order type needs', () => {
    expect(() => anIntent({ qty: 0 })).toThrow(/quantity 0 must be a positive integer/);
    expect(() => anIntent({ orderType: 'MARKET' })).toThrow(/MARKET cannot have a limit price/);
    expect(() => anIntent({ orderType: 'LIMIT', limitPricePaise: null })).toThrow(
      /LIMIT needs a limit price/,
    );
    expect(() => anIntent({ orderType: 'SL' })).toThrow(/SL needs a trigger price/);
    expect(() => anIntent({ validity: 'TTL' })).toThrow(/validity TTL and TTL minutes null disagree/);
    expect(
      anIntent({ orderType: 'SL-M', limitPricePaise: null, triggerPricePaise: paise(150000) }).orderType,
    ).toBe('SL-M');
  });
});
