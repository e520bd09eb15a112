import { createColdStart } from './cold-start';
import { loadConfig, readCredentials } from './config';
import { createScfForwarder } from './forward/scf';
import { createHandler } from './handler';
import { createLogger } from './logger';
import { createCosStore } from './store/cos';

/*
 * The SCF entry point, `index.main_handler`. This is the only module that reads the
 * environment: configuration once, at cold start, so that a bad variable fails the instance
 * with a clear message before any event is taken; credentials at every write, since they rotate.
 */
const config = loadConfig(process.env);
const credentials = () => readCredentials(process.env);
const coldStart = createColdStart();

/** Called by the zip's loader (loader.ts) once this bundle has loaded. */
export const reportLoad = coldStart.report;

export const main_handler = createHandler({
  config,
  logger: createLogger(config.logLevel),
  store: createCosStore(config, { credentials }),
  forwarder: config.forwardTo.length > 0 ? createScfForwarder(config, { credentials }) : undefined,
  coldStart: coldStart.take,
});
