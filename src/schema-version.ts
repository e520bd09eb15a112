/**
 * The versions of the normalized and error records. They live apart from their schemas
 * (record.ts) so that the function can stamp records without building those schemas at cold
 * start: they are the published contract, used by the tests and whoever reads the archive, not by
 * the handler.
 */
export const SCHEMA_VERSION = 2;
/** The error record has not changed since the first version. */
export const ERROR_SCHEMA_VERSION = 1;
