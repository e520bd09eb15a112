import { describe, expect, it } from 'vitest';
import { LOCAL_BUCKET, LOCAL_REGION, localEnv } from '../../../scripts/local-cos/local-setup';
import { loadConfig, readCredentials } from '../../../src/config';

describe('the local set-up', () => {
  it("points the function at a running emulator with the emulator's keys, as a configuration it accepts", () => {
    const env = localEnv({ endpoint: 'http://127.0.0.1:9000' }, { secretId: 'AKIDlocal1', secretKey: 'secret' });
    expect(loadConfig(env)).toMatchObject({ bucket: LOCAL_BUCKET, region: LOCAL_REGION, endpoint: { protocol: 'http:', host: '127.0.0.1:9000' } });
    expect(readCredentials(env)).toEqual({ secretId: 'AKIDlocal1', secretKey: 'secret', sessionToken: undefined });
  });
});
