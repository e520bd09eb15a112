import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createColdStart } from '../src/cold-start';
import { createHandler } from '../src/handler';
import { captureLogs, config, context, memoryStore } from './support/doubles';
import { fixture } from './support/fixtures';

describe('cold start', () => {
  it('hands the reported load to the first taker only', () => {
    const coldStart = createColdStart();
    expect(coldStart.take()).toBeUndefined();
    coldStart.report({ loadMs: 41.26, codeCache: 'accepted' });
    expect(coldStart.take()).toEqual({ loadMs: 41.26, codeCache: 'accepted', heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20) });
    expect(coldStart.take()).toBeUndefined();
  });

  it("logs one line on the instance's first invocation: cold start, load time, what became of the code cache, the heap limit", async () => {
    const coldStart = createColdStart();
    const logs = captureLogs();
    const handler = createHandler({ config, store: memoryStore(), logger: logs.logger, coldStart: coldStart.take });
    coldStart.report({ loadMs: 41.26, codeCache: 'rejected' });
    const event = fixture('events/edit-media-task-success.json');
    await handler(event, context);
    await handler(event, { ...context, request_id: 'req-0002' });
    const lines = logs.lines();
    expect(lines.filter((l) => l.cold_start)).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Cold start', request_id: 'req-0001', cold_start: true, load_ms: 41.3, code_cache: 'rejected', heap_limit_mb: expect.any(Number) }),
    ]);
    expect(lines.map((l) => l.msg)).toEqual(['Cold start', 'Event archived', 'Event archived']);
  });
});
