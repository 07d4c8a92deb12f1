import { describe, expect, it } from 'vitest';
import { InvalidIdError } from './errors.ts';
import {
  ID_PREFIXES,
  isId,
  parseAccountId,
  parseClientOrderId,
  parseId,
  parseIntentId,
  parseVenueOrderId,
  type IdKind,
} from './ids.ts';

describe('parseId', () => {
  it('accepts every kind with its own prefix', () => {
    for (const kind of Object.keys(ID_PREFIXES) as IdKind[]) {
      expect(parseId(kind, `${ID_PREFIXES[kind]}_A1b2`)).toBe(`${ID_PREFIXES[kind]}_A1b2`);
    }
  });

  it('throws InvalidIdError naming the value on a wrong prefix', () => {
    expect(() => parseAccountId('usr_123')).toThrow(InvalidIdError);
    expect(() => parseAccountId('usr_123')).toThrow(/"usr_123" does not start with "acc_"/);
    expect(() => parseClientOrderId('ord123')).toThrow(/does not start with "ord_"/);
  });

  it('throws on bad characters and lengths', () => {
    expect(() => parseAccountId('acc_')).toThrow(/1..40/);
    expect(() => parseAccountId('acc_a-b')).toThrow(/\[0-9A-Za-z\]/);
    expect(() => parseAccountId('acc_a b')).toThrow(InvalidIdError);
    expect(parseAccountId(`acc_${'x'.repeat(40)}`)).toHaveLength(44);
    expect(() => parseAccountId(`acc_${'x'.repeat(41)}`)).toThrow(/41 characters/);
  });

  it('limits intent id bodies to 18 characters so they fit a Kite tag', () => {
    expect(parseIntentId(`int_${'9'.repeat(18)}`)).toBeTruthy();
    expect(() => parseIntentId(`int_${'9'.repeat(19)}`)).toThrow(/1..18/);
  });

  it('tells well-formed ids apart without throwing', () => {
    expect(isId('run', 'run_1')).toBe(true);
    expect(isId('run', 'str_1')).toBe(false);
  });
});

describe('parseVenueOrderId', () => {
  it('accepts Kite order ids and refuses empty strings', () => {
    expect(parseVenueOrderId('1512090000000000001')).toBe('1512090000000000001');
    expect(() => parseVenueOrderId('')).toThrow(InvalidIdError);
  });
});
