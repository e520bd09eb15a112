import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the project's development tools keep what they fetch: outside the project, because
 * `npm ci` deletes node_modules (node_modules/.cache with it) and everything is fetched again.
 */
export const CACHE_DIR = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mps-cos-backup');
