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

  it('takes temporary keys of tccli auth login until they expire', async () => {
    await tccli('default', JSON.stringify({ type: 'oauth', secretId: 'tmp-id', secretKey: 'tmp-key', token: 'tmp-token', expiresAt: 1_800_000_000, oauth: {} }));
    expect(readDeployCredentials({}, home, new Date(1_799_999_000_000))).toMatchObject({ secretId: 'tmp-id', token: 'tmp-token' });
  });

  it.each<[string, Record<string, string>, string | undefined, RegExp]>([
    ['half a key pair', { TENCENTCLOUD_SECRETID: 'id-only' }, undefined, /^TENCENTCLOUD_SECRETKEY is not set, though TENCENTCLOUD_SECRETID is$/],
    ['a key pasted with the line end of a CRLF file', { TENCENTCLOUD_SECRETID: 'id-only', TENCENTCLOUD_SECRETKEY: 'abc\r' }, undefined, /^TENCENTCLOUD_SECRETKEY holds a blank, a line end or a character that is not ASCII: set it again, the key alone$/],
    ['a session token with a blank', { TENCENTCLOUD_SECRETID: 'id-only', TENCENTCLOUD_SECRETKEY: 'abc', TENCENTCLOUD_SESSIONTOKEN: 'abc def' }, undefined, /^TENCENTCLOUD_SESSIONTOKEN holds a blank/],
    ['a credential file whose key has a line end', {}, '{"secretId": "id-only", "secretKey": "abc\\n"}', /^the secretKey of \/.*default\.credential holds a blank/],
    ['a credential file naming a role for tccli to assume', {}, '{"secretId": "id-only", "secretKey": "abc", "role-arn": "qcs::cam::uin/1:roleName/deployer", "role-session-name": "s"}', /default\.credential names a CAM role \(role-arn\), which tccli assumes with its keys and npm run deploy does not/],
    ['a credential file using the CVM\'s role', {}, '{"type": "cvm-role"}', /default\.credential says to use the CVM's role/],
    ['temporary keys past their expiry', {}, '{"type": "oauth", "secretId": "id-only", "secretKey": "abc", "token": "t", "expiresAt": 1700000000}', /default\.credential holds temporary keys that expired at 2023-11-14T22:13:20\.000Z: log in again with tccli auth login$/],
    ['a credential file that is JSON but not an object', {}, 'null', /default\.credential is not the JSON tccli writes$/],
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
