import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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

  it("gives what zod/mini's own object gives, for any input", () => {
    const shape = () => ({
      text: z.catch(z.nullish(z.string()), null),
      count: z.optional(z.int()),
      inner: z.nullish(z.object({ Status: z.string(), Path: z.catch(z.nullish(z.string()), null) })),
      list: z.optional(z.array(z.object({ Path: z.string() }))),
    });
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
        const a = ours.safeParse(value);
        const b = theirs.safeParse(value);
        expect(a.success).toBe(b.success);
        if (a.success && b.success) expect(a.data).toStrictEqual(b.data);
        else expect(a.error?.issues).toEqual(b.error?.issues);
      }),
      { numRuns: 2_000 },
    );
  });
});
