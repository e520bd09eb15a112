import { config, ZodMiniObject } from 'zod/mini';
import { $constructor, $ZodObjectJIT, type $strip, type $ZodLooseShape } from 'zod/v4/core';
import { en } from 'zod/v4/locales';

/*
 * zod/mini, the functional API, for everything loaded at cold start: it loads in about half the
 * time of the classic API, which attaches dozens of methods to every schema.
 * - It leaves messages to a locale, and the error records and configuration errors quote them.
 * - Its objects leave out the parser the classic API compiles (new Function) for each object
 *   schema. Objects are most of an event, and without it validation takes about twice as long,
 *   so `object` here is zod/mini's object with that parser, compiled from its second parse on:
 *   compiling them all on the first event cost it several milliseconds, far more than one
 *   event's validation without them, and an instance may take only one event.
 */
config(en());

export * from 'zod/mini';

const ZodMiniObjectJIT: typeof ZodMiniObject = $constructor('ZodMiniObjectJIT', (inst, def) => {
  $ZodObjectJIT.init(inst, def);
  // $ZodObject is already initialized, so this adds only what zod/mini puts on an object.
  ZodMiniObject.init(inst, def);
  const compiled = inst._zod.parse;
  // zod's own per-parse switch: `jitless` parses without compiling (and passes on to the fields).
  const first: typeof compiled = (payload, ctx) => {
    inst._zod.parse = compiled;
    // Without checks, zod runs an object through parse itself (set once the constructor is done).
    if (inst._zod.run === first) inst._zod.run = compiled;
    return compiled(payload, { ...ctx, jitless: true });
  };
  inst._zod.parse = first;
});

export const object = <T extends $ZodLooseShape>(shape: T) => new ZodMiniObjectJIT({ type: 'object', shape }) as ZodMiniObject<T, $strip>;
