import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import type { Env } from './spec';

/*
 * The deployer's keys: from TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY and
 * TENCENTCLOUD_SESSIONTOKEN (the environment or .env), else from the credential file tccli keeps,
 * ~/.tccli/<profile>.credential, JSON with secretId, secretKey and token (tccli's configure.py
 * writes it; TCCLI_PROFILE names the profile, "default" otherwise). Keys that cannot be the ones
 * meant are refused here, where the message can say why: a key pasted with a line end or a blank
 * (the SDK would put it in a header, which Node refuses with the header quoted), and a file whose
 * keys tccli itself would not sign with as they are: a CAM role it assumes with them (role-arn),
 * the CVM's role, temporary keys past their expiresAt (tccli's oauth.py refreshes them first).
 * Nothing here prints them.
 */

export interface DeployCredentials {
  secretId: string;
  secretKey: string;
  token: string | undefined;
  /** Where they came from, to name in messages. */
  source: string;
}

/** Printable ASCII, no blank: what a SecretId, a SecretKey and a session token are made of. */
const KEY = /^[\x21-\x7e]+$/;

function checked(credentials: DeployCredentials, names: [string, string, string]): DeployCredentials {
  const values = [credentials.secretId, credentials.secretKey, credentials.token];
  values.forEach((value, i) => {
    if (value !== undefined && !KEY.test(value)) throw new Error(`${names[i]} holds a blank, a line end or a character that is not ASCII: set it again, the key alone`);
  });
  return credentials;
}

/** What deploy reads of a tccli credential file; tccli keeps more (its oauth and sso fields). */
const TccliCredential = z.looseObject({
  secretId: z.string().optional(),
  secretKey: z.string().optional(),
  token: z.string().optional(),
  'role-arn': z.string().optional(),
  type: z.string().optional(),
  /** Of temporary keys, in seconds since 1970. */
  expiresAt: z.number().optional(),
});

/** Why tccli would not use the file's keys as they are, if it would not. */
function unusable(stored: z.infer<typeof TccliCredential>, file: string, now: Date): string | undefined {
  if (stored['role-arn']) return `${file} names a CAM role (role-arn), which tccli assumes with its keys and npm run deploy does not: set TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY and TENCENTCLOUD_SESSIONTOKEN to the role's temporary keys`;
  if (stored.type === 'cvm-role') return `${file} says to use the CVM's role (use-cvm-role), which npm run deploy does not: set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY`;
  if (stored.expiresAt !== undefined && stored.expiresAt * 1000 <= now.getTime()) {
    return `${file} holds temporary keys that expired at ${new Date(stored.expiresAt * 1000).toISOString()}: log in again with tccli auth login`;
  }
  return undefined;
}

export function readDeployCredentials(env: Env, home: string, now = new Date()): DeployCredentials {
  const { TENCENTCLOUD_SECRETID: secretId, TENCENTCLOUD_SECRETKEY: secretKey } = env;
  if (secretId || secretKey) {
    if (!secretId || !secretKey) throw new Error(`${secretId ? 'TENCENTCLOUD_SECRETKEY' : 'TENCENTCLOUD_SECRETID'} is not set, though ${secretId ? 'TENCENTCLOUD_SECRETID' : 'TENCENTCLOUD_SECRETKEY'} is`);
    const credentials = { secretId, secretKey, token: env.TENCENTCLOUD_SESSIONTOKEN || undefined, source: 'TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY' };
    return checked(credentials, ['TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY', 'TENCENTCLOUD_SESSIONTOKEN']);
  }
  const file = join(home, '.tccli', `${env.TCCLI_PROFILE || 'default'}.credential`);
  if (!existsSync(file)) {
    throw new Error(`No credentials: set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (with TENCENTCLOUD_SESSIONTOKEN for temporary keys) in the environment or .env, or run tccli configure (${file} does not exist)`);
  }
  let text: unknown;
  try {
    text = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    text = undefined;
  }
  const parsed = TccliCredential.safeParse(text);
  if (!parsed.success) throw new Error(`${file} is not the JSON tccli writes`);
  const stored = parsed.data;
  const refused = unusable(stored, file, now);
  if (refused) throw new Error(refused);
  if (!stored.secretId || !stored.secretKey) throw new Error(`${file} holds no secretId and secretKey (tccli configure set secretId ... secretKey ...)`);
  const credentials = { secretId: stored.secretId, secretKey: stored.secretKey, token: stored.token || undefined, source: file };
  return checked(credentials, [`the secretId of ${file}`, `the secretKey of ${file}`, `the token of ${file}`]);
}
