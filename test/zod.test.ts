import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import * as mini from 'zod/mini';
import * as z from '../src/zod';

describe('zod for the cold-start path', () => {
  it('words its messages in English', () => {
    const result = z.object({ TaskId: z.string() }).safeParse({ TaskId: 7 });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['TaskId'], message: 'Invalid input: expected string, received number' }),
    ]);
  });

  it("makes objects zod/mini's own, with their shape, that drop keys they do not name", () => {
    const schema = z.object({ a: z.string(), b: z.optional(z.number()) });
    expect(schema).toBeInstanceOf(mini.ZodMiniObject);
    expect(Object.keys(schema.shape)).toEqual(['a', 'b']);
    expect(schema.parse({ a: 'x', extra: 1 })).toEqual({ a: 'x' });
    expect(() => schema.parse({ b: 1 })).toThrow('expected string, received undefined');
  });

  const shape = () => ({
    text: z.catch(z.nullish(z.string()), null),
    count: z.optional(z.int()),
    inner: z.nullish(z.object({ Status: z.string(), Path: z.catch(z.nullish(z.string()), null) })),
    list: z.optional(z.array(z.object({ Path: z.string() }))),
  });

  describe('compiling', () => {
    const realFunction = globalThis.Function;
    let compiled = 0;
    afterEach(() => {
      globalThis.Function = realFunction;
    });
    /** Counts zod's compiled parsers: it builds each with `new Function`. */
    const countCompiles = () => {
      compiled = 0;
      globalThis.Function = new Proxy(realFunction, { construct: (target, args) => (compiled++, Reflect.construct(target, args)) });
    };

    it(`parses an object ${z.PARSES_BEFORE_COMPILING} times without compiling, nested objects included, and compiles each after`, () => {
      countCompiles();
      const schema = z.object(shape());
      const input = { text: 'a', count: 1, inner: { Status: 'FINISH' }, list: [{ Path: '/a' }] };
      const expected = mini.object(shape()).parse(input);
      for (let i = 0; i < z.PARSES_BEFORE_COMPILING; i++) expect(schema.parse(input)).toStrictEqual(expected);
      expect(compiled).toBe(0);
      expect(schema.parse(input)).toStrictEqual(expected);
      expect(compiled).toBe(3);
    });
  });

  it("gives what zod/mini's own object gives, for any input, on its first parse as on later ones", () => {
    const ours = z.object(shape());
    const theirs = mini.object(shape());
    const field = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.integer(), fc.double(), fc.boolean());
    const input = fc.oneof(
      fc.anything(),
      fc.record(
        {
          text: field,
          count: field,
          inner: fc.oneof(field, fc.record({ Status: field, Path: field, other: field }, { requiredKeys: [] })),
          list: fc.oneof(field, fc.array(fc.oneof(field, fc.record({ Path: field }, { requiredKeys: [] })))),
          other: field,
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(input, (value) => {
        const b = theirs.safeParse(value);
        for (const a of [z.object(shape()).safeParse(value), ours.safeParse(value)]) {
          expect(a.success).toBe(b.success);
          if (a.success && b.success) expect(a.data).toStrictEqual(b.data);
          else expect(a.error?.issues).toEqual(b.error?.issues);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
