import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { LocalCos } from './server';
import type { Keys } from './signature';

/** What the local set-up uses: one bucket, a region, and a folder in the project. */
export const LOCAL_BUCKET = 'mps-local-1250000000';
export const LOCAL_REGION = 'ap-guangzhou';
export const LOCAL_ROOT = join(__dirname, '..', '..', '.local-cos');

/** Throwaway keys made for one run, so that no key is written down anywhere. */
export function randomKeys(): Keys {
  return { secretId: `AKIDlocal${randomBytes(12).toString('hex')}`, secretKey: randomBytes(24).toString('base64url') };
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
