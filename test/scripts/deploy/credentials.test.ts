import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDeployCredentials } from '../../../scripts/deploy/credentials';

describe('readDeployCredentials', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'home-'));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  const tccli = async (profile: string, content: string) => {
    await mkdir(join(home, '.tccli'), { recursive: true });
    await writeFile(join(home, '.tccli', `${profile}.credential`), content);
  };

  it('takes the keys of the environment first, with the session token of temporary keys', async () => {
    await tccli('default', JSON.stringify({ secretId: 'file-id', secretKey: 'file-key' }));
    expect(readDeployCredentials({ TENCENTCLOUD_SECRETID: 'env-id', TENCENTCLOUD_SECRETKEY: 'env-key', TENCENTCLOUD_SESSIONTOKEN: 'tok' }, home)).toEqual({
      secretId: 'env-id',
      secretKey: 'env-key',
      token: 'tok',
      source: 'TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY',
    });
  });

  it("falls back on tccli's credential file, of the profile TCCLI_PROFILE names", async () => {
    await tccli('default', JSON.stringify({ secretId: 'default-id', secretKey: 'default-key' }));
    await tccli('ci', JSON.stringify({ secretId: 'ci-id', secretKey: 'ci-key', token: 'ci-token' }));
    expect(readDeployCredentials({}, home)).toMatchObject({ secretId: 'default-id', secretKey: 'default-key', token: undefined, source: join(home, '.tccli', 'default.credential') });
    expect(readDeployCredentials({ TCCLI_PROFILE: 'ci' }, home)).toMatchObject({ secretId: 'ci-id', token: 'ci-token' });
  });

  it.each<[string, Record<string, string>, string | undefined, RegExp]>([
    ['half a key pair', { TENCENTCLOUD_SECRETID: 'id-only' }, undefined, /^TENCENTCLOUD_SECRETKEY is not set, though TENCENTCLOUD_SECRETID is$/],
    ['no keys anywhere', {}, undefined, /^No credentials: set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY .* or run tccli configure/],
    ['a credential file that is not JSON', {}, 'secretKey = abc', /default\.credential is not the JSON tccli writes$/],
    ['a credential file without keys', {}, '{"secretId": "id"}', /holds no secretId and secretKey/],
  ])('refuses %s, saying what to set, and quoting no key', async (_name, env, file, message) => {
    if (file) await tccli('default', file);
    let error: unknown;
    try {
      readDeployCredentials(env, home);
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/id-only|abc/);
  });
});
