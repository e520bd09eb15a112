import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalCos } from './server';
import type { Keys } from './signature';

/** What the local set-up uses: one bucket, a region, and a folder in the project. */
export const LOCAL_BUCKET = 'mps-local-1250000000';
export const LOCAL_REGION = 'ap-guangzhou';
export const LOCAL_ROOT = join(__dirname, '..', '..', '.local-cos');

/** Every local key starts so, which tells a stale local key from a key meant for COS. */
export const LOCAL_KEY_PREFIX = 'AKIDlocal';

/** Keys made for the emulator alone, never written down in the project. */
export function randomKeys(): Keys {
  return { secretId: `${LOCAL_KEY_PREFIX}${randomBytes(12).toString('hex')}`, secretKey: randomBytes(24).toString('base64url') };
}

/**
 * The keys of the emulator's folder, made the first time and kept beside its objects, so that
 * the environment printed by an earlier run still works after a restart.
 */
export function localKeys(root: string): Keys {
  const file = join(root, '.keys.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Keys;
  } catch {
    const keys = randomKeys();
    mkdirSync(root, { recursive: true });
    writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
    return keys;
  }
}

/** The environment that points the function at a running emulator. */
export function localEnv(cos: LocalCos, keys: Keys): Record<string, string> {
  return {
    COS_BUCKET: LOCAL_BUCKET,
    COS_REGION: LOCAL_REGION,
    COS_ENDPOINT: cos.endpoint,
    TENCENTCLOUD_SECRETID: keys.secretId,
    TENCENTCLOUD_SECRETKEY: keys.secretKey,
  };
}
