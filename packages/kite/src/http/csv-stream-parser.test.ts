// Invariant (property): however the text is cut into chunks, the parser yields the same records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvStreamParser } from './csv-stream-parser.ts';

function parseChunks(chunks: readonly string[]): string[][] {
  const p = new CsvStreamParser();
  return [...chunks.flatMap((c) => p.push(c)), ...p.end()];
}

const TEXT = 'a,b,c\r\n1,"x, ""y""",3\n\n"multi\nline",,\nlast,row,no-newline';

describe('CsvStreamParser', () => {
  it('reads quoted fields, escaped quotes, CRLF, blank lines and a last line without newline', () => {
    expect(parseChunks([TEXT])).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, "y"', '3'],
      ['multi\nline', '', ''],
      ['last', 'row', 'no-newline'],
    ]);
  });

  it('yields the same records for any chunking (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: TEXT.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(TEXT.slice(prev, p));
          prev = p;
        }
        chunks.push(TEXT.slice(prev));
        expect(parseChunks(chunks)).toEqual(parseChunks([TEXT]));
      }),
    );
  });

  it('rejects text that ends inside a quoted field', () => {
    const p = new CsvStreamParser();
    p.push('a,"unterminated');
    expect(() => p.end()).toThrow(/inside a quoted field/);
  });
});
