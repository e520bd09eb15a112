import { toJson } from '../../src/json';

/*
 * The events that cost the function the most memory on its full path (parsed, masked, walked
 * and normalized), each as large as `limit`: SCF's limit for an asynchronous invocation (128 KB),
 * all MPS sends, or the size above which the function reads a payload as text instead
 * (src/oversize.ts). What the memory benchmark runs besides an ordinary event.
 */

const task = (extra: Record<string, unknown>) => ({
  EventType: 'WorkflowTask',
  WorkflowTaskEvent: { TaskId: 'memory-worst', Status: 'FINISH', ErrCode: 0, Message: '', ...extra },
});

/** As many copies of `item` as keep the event within the limit. */
function filled(limit: number, make: (items: unknown[]) => unknown, item: unknown): unknown {
  const room = limit - JSON.stringify(make([])).length;
  const count = Math.floor(room / (JSON.stringify(item).length + 1));
  return make(Array.from({ length: count }, () => item));
}

/** JSON nested `depth` levels deep, deeper than JSON.stringify can walk. */
function nested(depth: number): unknown {
  let value: unknown = { end: true };
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Arrays nested as deep as the limit allows: two bytes a level. */
const deepest = (limit: number) => Math.floor((limit - toJson(task({ Extra: nested(0) })).length) / 2);

export function worstEvents(limit: number): { name: string; event: unknown }[] {
  const events = [
    { name: 'empty result items', event: filled(limit, (items) => task({ MediaProcessResultSet: items }), {}) },
    { name: 'typed result items', event: filled(limit, (items) => task({ MediaProcessResultSet: items }), { Type: 'Transcode' }) },
    { name: `nested ${deepest(limit).toLocaleString('en')} deep`, event: task({ Extra: nested(deepest(limit)) }) },
    {
      name: 'credentials in every value',
      event: filled(limit, (items) => task({ Notes: items }), 'see https://u:p@h.example.com/a?q-ak=AKID&q-signature=abc&sign=1-2-3 password=x'),
    },
    {
      name: 'JSON inside strings',
      event: filled(limit, (items) => task({ Notes: items }), JSON.stringify({ password: 'x', nested: { token: 'y', list: [1, 2, 3] } })),
    },
  ];
  for (const { name, event } of events) {
    const bytes = Buffer.byteLength(toJson(event));
    if (bytes > limit) throw new Error(`worst event "${name}" is ${bytes} bytes, over ${limit}`);
  }
  return events;
}
