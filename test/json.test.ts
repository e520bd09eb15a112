import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJson } from '../src/json';

describe('toJson', () => {
  it('gives what JSON.stringify gives, for any JSON value it can walk', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(toJson(value)).toBe(JSON.stringify(value));
      }),
    );
  });

  it('reads undefined as null: nothing arrived', () => {
    expect(toJson(undefined)).toBe('null');
  });

  it('serializes JSON nested deeper than JSON.stringify can walk, to the text it would give', () => {
    let deep: unknown = { end: [1, 'a"b', null, true], skipped: undefined };
    // The text JSON.stringify would give, built alongside: undefined is left out of an object
    // and null in an array.
    let expected = '{"end":[1,"a\\"b",null,true]}';
    for (let i = 0; i < 50_000; i++) {
      deep = i % 2 ? { k: deep, n: i } : [deep, undefined];
      expected = i % 2 ? `{"k":${expected},"n":${i}}` : `[${expected},null]`;
    }
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(toJson(deep)).toBe(expected);
  });
});
