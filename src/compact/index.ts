import { loadConfig, readCredentials } from '../config';
import { createLogger } from '../logger';
import { cosArchive } from '../store/archive';
import { createCosStore } from '../store/cos';
import { PART_WRITE_TIMEOUT_MS } from './compact';
import { createCompactHandler } from './handler';

/*
 * The entry of compact.js, the compactor's bundle in the zip: `index.compact_handler` (the zip's
 * loader requires this file only when that handler is first called, so the archiving function
 * never loads it). Like src/index.ts, it reads the environment: configuration once, credentials
 * for each run.
 */
const config = loadConfig(process.env);

export const compact_handler = createCompactHandler({
  config,
  logger: createLogger(config.logLevel),
  open() {
    const credentials = () => readCredentials(process.env);
    return {
      archive: cosArchive(config, credentials()),
      store: createCosStore({ ...config, timeoutMs: PART_WRITE_TIMEOUT_MS }, { credentials }),
    };
  },
});
