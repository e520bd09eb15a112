import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BUNDLE_FILE, CACHE_FILE, cacheFile, compileBundle } from '../../src/code-cache';
import { answerAsStored, listenOnLoopback } from '../loopback';

/*
 * Run by code-cache.ts on SCF's Node, in the environment it sets: `node cache-maker.js <dir>
 * <event files...>`. Compiles the bundle in <dir> as the loader does, runs its top level and the
 * events against a loopback COS that answers every PUT, then writes the code cache. The events
 * make V8 compile the functions a first invocation needs, which it otherwise compiles lazily, on
 * the first event, so the cache holds them too.
 */

type MainHandler = (event: unknown, context: unknown) => Promise<{ result: string }>;

async function main() {
  const [dir, ...events] = process.argv.slice(1) as [string, ...string[]];
  const cos = await listenOnLoopback(createServer(answerAsStored));
  try {
    // Before the bundle's top level reads its configuration.
    process.env.COS_ENDPOINT = cos.endpoint;
    const source = readFileSync(join(dir, BUNDLE_FILE));
    const compiled = compileBundle(dir, source, createRequire(join(dir, BUNDLE_FILE)));
    const main_handler = compiled.run().main_handler as MainHandler;
    for (const file of events) {
      const summary = await main_handler(JSON.parse(readFileSync(file, 'utf8')), { request_id: 'code-cache', time_limit_in_ms: 30_000 });
      if (summary.result !== 'archived') throw new Error(`${file} was not archived: the cache would miss the archiving path`);
    }
    writeFileSync(join(dir, CACHE_FILE), cacheFile(source, compiled.script.createCachedData()));
  } finally {
    await cos.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
