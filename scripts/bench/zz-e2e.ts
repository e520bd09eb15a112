import { measureEndToEnd, WARM_UP_EVENTS } from './e2e';
void (async () => {
  const rows = await measureEndToEnd({ latencyMs: 0, rounds: 3, sizes: { 1: 200, 32: 1000 }, warmUp: WARM_UP_EVENTS });
  for (const r of rows) console.log(r.concurrency, r.handler.padEnd(28), r.eventsPerSecond.toFixed(0), 'ev/s', r.cpuMsPerEvent.toFixed(3), 'cpu ms');
  for (const c of [1, 32]) { const g = (h: string) => rows.find((r) => r.concurrency === c && r.handler.startsWith(h))!.cpuMsPerEvent; console.log('c', c, 'ours/naive', (g('mps') / g('naive putObject')).toFixed(3), 'ours/skip', (g('mps') / rows.find((r) => r.concurrency === c && r.handler.includes('SkipTask'))!.cpuMsPerEvent).toFixed(3)); }
})();
