import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from './spec';

/*
 * The deployer's keys: from TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY and
 * TENCENTCLOUD_SESSIONTOKEN (the environment or .env), else from the credential file tccli keeps,
 * ~/.tccli/<profile>.credential, JSON with secretId, secretKey and token (tccli's configure.py
 * writes it; TCCLI_PROFILE names the profile, "default" otherwise). Nothing here prints them.
 */

export interface DeployCredentials {
  secretId: string;
  secretKey: string;
  token: string | undefined;
  /** Where they came from, to name in messages. */
  source: string;
}

export function readDeployCredentials(env: Env, home: string): DeployCredentials {
  const { TENCENTCLOUD_SECRETID: secretId, TENCENTCLOUD_SECRETKEY: secretKey } = env;
  if (secretId || secretKey) {
    if (!secretId || !secretKey) throw new Error(`${secretId ? 'TENCENTCLOUD_SECRETKEY' : 'TENCENTCLOUD_SECRETID'} is not set, though ${secretId ? 'TENCENTCLOUD_SECRETID' : 'TENCENTCLOUD_SECRETKEY'} is`);
    return { secretId, secretKey, token: env.TENCENTCLOUD_SESSIONTOKEN || undefined, source: 'TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY' };
  }
  const file = join(home, '.tccli', `${env.TCCLI_PROFILE || 'default'}.credential`);
  if (!existsSync(file)) {
    throw new Error(`No credentials: set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (with TENCENTCLOUD_SESSIONTOKEN for temporary keys) in the environment or .env, or run tccli configure (${file} does not exist)`);
  }
  let stored: { secretId?: unknown; secretKey?: unknown; token?: unknown };
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as typeof stored;
  } catch {
    throw new Error(`${file} is not the JSON tccli writes`);
  }
  if (typeof stored.secretId !== 'string' || typeof stored.secretKey !== 'string' || !stored.secretId || !stored.secretKey) {
    throw new Error(`${file} holds no secretId and secretKey (tccli configure set secretId ... secretKey ...)`);
  }
  return { secretId: stored.secretId, secretKey: stored.secretKey, token: typeof stored.token === 'string' && stored.token ? stored.token : undefined, source: file };
}
