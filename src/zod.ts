import { config, ZodMiniObject } from 'zod/mini';
import { $constructor, $ZodObjectJIT, type $strip, type $ZodLooseShape } from 'zod/v4/core';
import { en } from 'zod/v4/locales';

/*
 * zod/mini, the functional API, for everything loaded at cold start: it loads in about half the
 * time of the classic API, which attaches dozens of methods to every schema.
 * - It leaves messages to a locale, and the error records and configuration errors quote them.
 * - Its objects leave out the parser the classic API compiles (new Function) for each object
 *   schema. Objects are most of an event, and without it validation takes up to twice as long,
 *   so `object` here is zod/mini's object with that parser, compiled once the object has been
 *   parsed PARSES_BEFORE_COMPILING times (see there).
 */
config(en());

export * from 'zod/mini';

/**
 * Set only by esbuild's `define`, for a benchmark variant that measures what waiting saves the
 * first event (0: compile on the first parse, as zod does); the function's build leaves it unset.
 */
declare const ZOD_PARSES_BEFORE_COMPILING: number | undefined;

/**
 * Measured here, compiling one object's parser takes 0.3 to 0.6 ms, several milliseconds for an
 * event's objects, while all of them compiled save about 5 µs per event: they pay for themselves
 * after about a thousand events. Compiled only then, the first events pay nothing for them, and an
 * instance, however many events it takes, pays at most about twice what the better of "compile
 * at once" and "never compile" would have cost it.
 */
export const PARSES_BEFORE_COMPILING = typeof ZOD_PARSES_BEFORE_COMPILING === 'number' ? ZOD_PARSES_BEFORE_COMPILING : 1_000;

const ZodMiniObjectJIT: typeof ZodMiniObject = $constructor('ZodMiniObjectJIT', (inst, def) => {
  $ZodObjectJIT.init(inst, def);
  // $ZodObject is already initialized, so this adds only what zod/mini puts on an object.
  ZodMiniObject.init(inst, def);
  const compiled = inst._zod.parse;
  let parses = 0;
  // zod's own per-parse switch: `jitless` parses without compiling, and passes on to the fields.
  const uncompiled: typeof compiled = (payload, ctx) => {
    if (++parses === PARSES_BEFORE_COMPILING) {
      inst._zod.parse = compiled;
      // Without checks, zod runs an object through parse itself (set once the constructor is done).
      if (inst._zod.run === uncompiled) inst._zod.run = compiled;
    }
    return compiled(payload, ctx?.jitless ? ctx : { ...ctx, jitless: true });
  };
  if (PARSES_BEFORE_COMPILING > 0) inst._zod.parse = uncompiled;
});

export const object = <T extends $ZodLooseShape>(shape: T) => new ZodMiniObjectJIT({ type: 'object', shape }) as ZodMiniObject<T, $strip>;
