import { describe, expect, it } from 'vitest';
import { CopyBinaryWriter } from './copy-binary.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('CopyBinaryWriter', () => {
  it('frames rows with the PGCOPY header, field counts, length-prefixed values and the trailer', () => {
    const w = new CopyBinaryWriter(8);
    w.row(4);
    w.text('é');
    w.bool(true);
    w.nullValue();
    w.int8(-1, 'x');
    expect(hex(w.finish())).toBe(
      '5047434f50590aff0d0a00' +
        '00000000' +
        '00000000' + // signature, flags, extension
        '0004' +
        '00000002c3a9' +
        '0000000101' +
        'ffffffff' +
        '00000008ffffffffffffffff' +
        'ffff',
    );
  });

  it('writes int8 big-endian across the 32-bit boundary and timestamptz as microseconds since 2000', () => {
    const w = new CopyBinaryWriter();
    w.int8(4_294_967_297, 'x');
    w.timestamptz(Date.UTC(2000, 0, 1, 0, 0, 0, 1));
    w.timestamptz(Date.UTC(1999, 11, 31, 23, 59, 59, 999));
    expect(hex(w.finish()).slice(38)).toBe(
      '000000080000000100000001' + '0000000800000000000003e8' + '00000008fffffffffffffc18' + 'ffff',
    );
  });

  it('refuses values that are not safe integers, naming the column', () => {
    const w = new CopyBinaryWriter();
    expect(() => w.int8(1.5, 'volume')).toThrow(/volume 1\.5 is not a safe integer/);
    expect(() => w.timestamptz(Number.NaN)).toThrow(/timestamp NaN is not an integer epoch ms/);
  });
});
