import { join } from 'node:path';
import { PROJECT } from '../build/bundle';
import { localKeys } from '../local-cos/keys';
import { LOCAL_BUCKET, LOCAL_REGION, LOCAL_ROOT } from '../local-cos/local-setup';
import { startLocalCos } from '../local-cos/server';
import { startLocalScf } from '../local-scf/server';
import type { Env } from './spec';

/*
 * `npm run deploy -- --local`: the account deploy talks to, on this machine. The local COS keeps
 * its objects in .local-cos/ (or LOCAL_COS_DIR), the local SCF and MPS API its functions and
 * triggers in .local-scf/, so that one deploy sees what the last one did. Its functions run on
 * SCF's Node against the local COS, with the account's keys as their execution role's.
 */

export const LOCAL_SCF_STATE = join(PROJECT, '.local-scf', 'account.json');

/** What the yml's ${env:...} take there. The local cloud forwards nowhere: `npm run invoke` shows forwarding. */
export const LOCAL_VALUES: Env = { REGION: LOCAL_REGION, COS_BUCKET: LOCAL_BUCKET, EXECUTION_ROLE: 'local-execution-role', COMPACT_ROLE: 'local-compact-role', FORWARD_TO: '' };

export async function startLocalCloud(env: Env): Promise<{ env: Env; close: () => Promise<void> }> {
  const root = env.LOCAL_COS_DIR || LOCAL_ROOT;
  const keys = localKeys(root);
  const cos = await startLocalCos({ root, keys, buckets: [LOCAL_BUCKET] });
  const scf = await startLocalScf({
    keys,
    stateFile: LOCAL_SCF_STATE,
    runtimeEnv: { TENCENTCLOUD_SECRETID: keys.secretId, TENCENTCLOUD_SECRETKEY: keys.secretKey, COS_ENDPOINT: cos.endpoint },
  });
  return {
    // The deployer's credentials and the endpoints there.
    env: {
      TENCENTCLOUD_SECRETID: keys.secretId,
      TENCENTCLOUD_SECRETKEY: keys.secretKey,
      TENCENTCLOUD_SESSIONTOKEN: undefined,
      SCF_API_ENDPOINT: scf.endpoint,
      MPS_API_ENDPOINT: scf.endpoint,
      COS_ENDPOINT: cos.endpoint,
    },
    close: async () => {
      await scf.close();
      await cos.close();
    },
  };
}
