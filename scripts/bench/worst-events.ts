import { toJson } from '../../src/json';

/*
 * The events that cost the function the most memory, each as large as SCF delivers to an
 * asynchronous invocation (128 KB): what the memory benchmark runs besides an ordinary event.
 */

const LIMIT = 128 * 1024;

const task = (extra: Record<string, unknown>) => ({
  EventType: 'WorkflowTask',
  WorkflowTaskEvent: { TaskId: 'memory-worst', Status: 'FINISH', ErrCode: 0, Message: '', ...extra },
});

/** As many copies of `item` as keep the event within the limit. */
function filled(make: (items: unknown[]) => unknown, item: unknown): unknown {
  const room = LIMIT - JSON.stringify(make([])).length;
  const count = Math.floor(room / (JSON.stringify(item).length + 1));
  return make(Array.from({ length: count }, () => item));
}

/** JSON nested `depth` levels deep, deeper than JSON.stringify can walk. */
function nested(depth: number): unknown {
  let value: unknown = { end: true };
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

export function worstEvents(): { name: string; event: unknown }[] {
  const events = [
    { name: 'empty result items', event: filled((items) => task({ MediaProcessResultSet: items }), {}) },
    { name: 'typed result items', event: filled((items) => task({ MediaProcessResultSet: items }), { Type: 'Transcode' }) },
    { name: 'nested 40,000 deep', event: task({ Extra: nested(40_000) }) },
    {
      name: 'credentials in every value',
      event: filled((items) => task({ Notes: items }), 'see https://u:p@h.example.com/a?q-ak=AKID&q-signature=abc&sign=1-2-3 password=x'),
    },
    {
      name: 'JSON inside strings',
      event: filled((items) => task({ Notes: items }), JSON.stringify({ password: 'x', nested: { token: 'y', list: [1, 2, 3] } })),
    },
  ];
  for (const { name, event } of events) {
    const bytes = Buffer.byteLength(toJson(event));
    if (bytes > LIMIT) throw new Error(`worst event "${name}" is ${bytes} bytes, over SCF's ${LIMIT}`);
  }
  return events;
}
