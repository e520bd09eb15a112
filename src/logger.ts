import pino from 'pino';

export type Logger = pino.Logger;

/**
 * JSON lines on stdout, written synchronously: SCF freezes the instance as soon as the handler
 * returns, and a buffered line could be lost with it. Events and credentials are never logged,
 * only the fields that each log call names.
 */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination({ dest: 1, sync: true })): Logger {
  return pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
