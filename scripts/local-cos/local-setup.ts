import { join } from 'node:path';
import type { Keys } from './signature';

/** What the local set-up uses: one bucket, a region, and a folder in the project. */
export const LOCAL_BUCKET = 'mps-local-1250000000';
export const LOCAL_REGION = 'ap-guangzhou';
export const LOCAL_ROOT = join(__dirname, '..', '..', '.local-cos');

/** The environment that points the function at a running emulator. */
export function localEnv(cos: { endpoint: string }, keys: Keys): Record<string, string> {
  return {
    COS_BUCKET: LOCAL_BUCKET,
    COS_REGION: LOCAL_REGION,
    COS_ENDPOINT: cos.endpoint,
    TENCENTCLOUD_SECRETID: keys.secretId,
    TENCENTCLOUD_SECRETKEY: keys.secretKey,
  };
}
