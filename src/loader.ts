import { loadBundle } from './code-cache';
import type { ColdStartReport } from './cold-start';

/*
 * index.js of the zip, what SCF loads: the function itself is function.js beside it, loaded with
 * its code cache (code-cache.ts). The bundle's reportLoad passes how it went to the first
 * invocation, which logs it.
 */
const { exports, codeCache, loadMs } = loadBundle(__dirname, require);
(exports.reportLoad as ColdStartReport)({ loadMs, codeCache });

export const main_handler = exports.main_handler;
