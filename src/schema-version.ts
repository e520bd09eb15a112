/**
 * The version of the normalized and error records. It lives apart from their schemas (record.ts)
 * so that the function can stamp records without building those schemas at cold start: they are
 * the published contract, used by the tests and whoever reads the archive, not by the handler.
 */
export const SCHEMA_VERSION = 1;
