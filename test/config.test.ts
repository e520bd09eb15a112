import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseTargets, readCredentials, targetName } from '../src/config';
import { ConfigError } from '../src/errors';

const minimal = { COS_BUCKET: 'archive-1250000000', COS_REGION: 'ap-guangzhou' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(minimal)).toEqual({
      bucket: 'archive-1250000000',
      region: 'ap-guangzhou',
      prefix: 'mps-events',
      endpoint: undefined,
      storageClass: 'STANDARD',
      encryption: { algorithm: 'AES256' },
      timeoutMs: 5_000,
      timeZone: 'UTC',
      logLevel: 'info',
      functionName: undefined,
      forwardTo: [],
      functionRegion: 'ap-guangzhou',
      scfEndpoint: undefined,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      COS_BUCKET: 'other-1300000000',
      COS_REGION: 'ap-shanghai',
      COS_PREFIX: '/backups/mps/',
      COS_ENDPOINT: 'http://127.0.0.1:9000',
      COS_STORAGE_CLASS: 'STANDARD_IA',
      COS_SSE: 'cos/kms:0a1b2c3d-0000-4000-8000-abcdefabcdef',
      COS_TIMEOUT_MS: '2500',
      PARTITION_TIMEZONE: 'Asia/Shanghai',
      LOG_LEVEL: 'warn',
      SCF_FUNCTIONNAME: 'mps-backup',
      TENCENTCLOUD_REGION: 'ap-beijing',
      FORWARD_TO: 'notify, prod/index:live',
      SCF_API_ENDPOINT: 'http://127.0.0.1:9001',
    });
    expect(config).toEqual({
      bucket: 'other-1300000000',
      region: 'ap-shanghai',
      prefix: 'backups/mps',
      endpoint: { protocol: 'http:', host: '127.0.0.1:9000' },
      storageClass: 'STANDARD_IA',
      encryption: { algorithm: 'cos/kms', kmsKeyId: '0a1b2c3d-0000-4000-8000-abcdefabcdef' },
      timeoutMs: 2500,
      timeZone: 'Asia/Shanghai',
      logLevel: 'warn',
      functionName: 'mps-backup',
      forwardTo: [
        { namespace: 'default', functionName: 'notify', qualifier: '$LATEST' },
        { namespace: 'prod', functionName: 'index', qualifier: 'live' },
      ],
      functionRegion: 'ap-beijing',
      scfEndpoint: { protocol: 'http://', host: '127.0.0.1:9001' },
    });
  });

  it.each([
    ['AES256', { algorithm: 'AES256' }],
    ['SM4', { algorithm: 'SM4' }],
    ['cos/kms', { algorithm: 'cos/kms', kmsKeyId: undefined }],
    ['none', undefined],
    ['', { algorithm: 'AES256' }],
  ])('reads COS_SSE=%j', (value, encryption) => {
    expect(loadConfig({ ...minimal, COS_SSE: value }).encryption).toEqual(encryption);
  });

  it('takes the region from TENCENTCLOUD_REGION when COS_REGION is unset or empty', () => {
    expect(loadConfig({ COS_BUCKET: 'a-1', TENCENTCLOUD_REGION: 'ap-beijing' }).region).toBe('ap-beijing');
    expect(loadConfig({ COS_BUCKET: 'a-1', COS_REGION: '', TENCENTCLOUD_REGION: 'ap-beijing' }).region).toBe(
      'ap-beijing',
    );
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ ...minimal, COS_PREFIX: '', COS_TIMEOUT_MS: '', LOG_LEVEL: '' })).toMatchObject({
      prefix: 'mps-events',
      timeoutMs: 5_000,
      logLevel: 'info',
    });
  });

  it.each([
    [{}, /COS_BUCKET is required/],
    [{ COS_BUCKET: 'archive' }, /COS_BUCKET must look like name-appid.*\(got "archive"\)/],
    [{ COS_BUCKET: 'a-1' }, /COS_REGION is required when TENCENTCLOUD_REGION is not set/],
    [{ ...minimal, COS_REGION: 'AP Guangzhou' }, /COS_REGION must be a COS region/],
    [{ ...minimal, COS_PREFIX: '../escape' }, /COS_PREFIX must be one or more/],
    [{ ...minimal, COS_PREFIX: 'a//b' }, /COS_PREFIX/],
    [{ ...minimal, COS_PREFIX: 'a..b' }, /COS_PREFIX.*without "\.\."/],
    [{ ...minimal, COS_PREFIX: 'x'.repeat(201) }, /COS_PREFIX must be at most 200 bytes/],
    [{ ...minimal, COS_ENDPOINT: 'ftp://host' }, /COS_ENDPOINT must be http\(s\):\/\/host\[:port\]/],
    [{ ...minimal, COS_ENDPOINT: 'http://127.0.0.1:65536' }, /COS_ENDPOINT must be http\(s\):\/\/host\[:port\] with a port from 1 to 65535/],
    [{ ...minimal, COS_ENDPOINT: 'http://127.0.0.1:0' }, /COS_ENDPOINT must be .* with a port from 1 to 65535/],
    [{ ...minimal, COS_ENDPOINT: 'http://127.0.0.1:9000/path' }, /COS_ENDPOINT must be/],
    [{ ...minimal, SCF_API_ENDPOINT: 'http://127.0.0.1:99999' }, /SCF_API_ENDPOINT must be http\(s\):\/\/host\[:port\] with a port from 1 to 65535/],
    [{ ...minimal, COS_STORAGE_CLASS: 'COLD' }, /COS_STORAGE_CLASS/],
    [{ ...minimal, COS_SSE: 'aes256' }, /COS_SSE must be AES256 or SM4 \(SSE-COS\), cos\/kms or cos\/kms:<KMS key id> \(SSE-KMS\), or none \(got "aes256"\)/],
    [{ ...minimal, COS_SSE: 'cos/kms:' }, /COS_SSE must be/],
    [{ ...minimal, COS_SSE: 'SSE-C' }, /COS_SSE must be/],
    [{ ...minimal, COS_TIMEOUT_MS: 'soon' }, /COS_TIMEOUT_MS must be a number of milliseconds \(got "soon"\)/],
    [{ ...minimal, COS_TIMEOUT_MS: '10' }, /COS_TIMEOUT_MS must be at least 100/],
    [{ ...minimal, COS_TIMEOUT_MS: '1.5' }, /COS_TIMEOUT_MS must be a whole number/],
    [{ ...minimal, PARTITION_TIMEZONE: 'Mars/Olympus' }, /PARTITION_TIMEZONE must be an IANA time zone/],
    [{ ...minimal, LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ ...minimal, FORWARD_TO: 'fa fb' }, /FORWARD_TO: "fa fb" is not \[namespace\/\]function\[:qualifier\]/],
    [{ ...minimal, FORWARD_TO: 'notify,default/notify:$LATEST' }, /FORWARD_TO: "default\/notify:\$LATEST" is listed twice/],
    [{ ...minimal, FORWARD_TO: 'other,ns/backup', SCF_FUNCTIONNAME: 'backup' }, /FORWARD_TO: "ns\/backup" is this function \(SCF_FUNCTIONNAME\)/],
    [{ ...minimal, SCF_API_ENDPOINT: 'scf.local' }, /SCF_API_ENDPOINT must be http\(s\):\/\/host\[:port\]/],
    // Node reads NODE_DEBUG as it starts, and then prints every request's headers.
    ...['http', 'fs,NET', 'https', 'ht*', '*'].map((value): [Record<string, string>, RegExp] => [{ ...minimal, NODE_DEBUG: value }, /NODE_DEBUG must not name http, https, net/]),
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each(['module', 'fs,stream', 'http2', 'request'])('takes NODE_DEBUG=%s, which prints no request', (value) => {
    expect(() => loadConfig({ ...minimal, NODE_DEBUG: value })).not.toThrow();
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ COS_BUCKET: 'x', COS_REGION: 'ap-guangzhou', LOG_LEVEL: 'loud' })).toThrow(
      /COS_BUCKET.*; LOG_LEVEL/,
    );
  });
});

describe('loadConfig, quoting a bad value back', () => {
  it.each(['COS_ENDPOINT', 'SCF_API_ENDPOINT'])('names %s with userinfo but does not echo its password', (name) => {
    const load = () => loadConfig({ ...minimal, [name]: 'http://admin:hunter2@127.0.0.1:9000' });
    expect(load).toThrow(new RegExp(`${name} must be http.*\\(got "http://\\*{6}@127\\.0\\.0\\.1:9000"\\)`));
    expect(load).not.toThrow(/hunter2/);
  });

  it('does not echo a credential pasted into FORWARD_TO', () => {
    const load = () => loadConfig({ ...minimal, FORWARD_TO: 'notify,https://u:hunter2@example.com/' });
    expect(load).toThrow(/FORWARD_TO: "https:\/\/\*{6}@example\.com\/" is not/);
    expect(load).not.toThrow(/hunter2/);
  });
});

describe('readCredentials', () => {
  it('reads the execution role keys SCF sets', () => {
    expect(
      readCredentials({ TENCENTCLOUD_SECRETID: 'id', TENCENTCLOUD_SECRETKEY: 'key', TENCENTCLOUD_SESSIONTOKEN: 'tok' }),
    ).toEqual({ secretId: 'id', secretKey: 'key', sessionToken: 'tok' });
    expect(readCredentials({ TENCENTCLOUD_SECRETID: 'id', TENCENTCLOUD_SECRETKEY: 'key' }).sessionToken).toBeUndefined();
  });

  it('fails clearly without keys, and does not echo what it found', () => {
    let error: unknown;
    try {
      readCredentials({ TENCENTCLOUD_SECRETID: 'visible-id' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/execution role/);
    expect((error as Error).message).not.toContain('visible-id');
  });
});

describe('parseTargets', () => {
  it.each([
    ['notify', 'default/notify:$LATEST'],
    ['prod/notify', 'prod/notify:$LATEST'],
    ['notify:3', 'default/notify:3'],
    ['prod/notify:live', 'prod/notify:live'],
    ['ns-1/my_func-2:$DEFAULT', 'ns-1/my_func-2:$DEFAULT'],
  ])('reads %s as %s', (entry, name) => {
    const { targets, problems } = parseTargets(entry, undefined);
    expect(problems).toEqual([]);
    expect(targets.map(targetName)).toEqual([name]);
  });

  it('reads a list, trimming spaces, in order', () => {
    expect(parseTargets(' fa , fb:2 ,c/fd ', undefined).targets.map(targetName)).toEqual(['default/fa:$LATEST', 'default/fb:2', 'c/fd:$LATEST']);
  });

  it.each(['', ' ', ',', ' , '])('reads %j as no targets', (value) => {
    expect(parseTargets(value, 'self')).toEqual({ targets: [], problems: [] });
  });

  it.each(['fa fb', '1abc', 'f', 'fa/', '/fa', 'fa:', 'fa:b:c', 'a/fb/fc', 'ends-', 'x'.repeat(61), 'fa,,fb', 'has.dot'])('refuses %j', (value) => {
    expect(parseTargets(value, undefined).problems).not.toEqual([]);
  });

  it('refuses a duplicate, defaults included', () => {
    expect(parseTargets('fa,default/fa:$LATEST', undefined).problems).toEqual(['"default/fa:$LATEST" is listed twice (as default/fa:$LATEST)']);
    expect(parseTargets('fa:1,fa:2', undefined).problems).toEqual([]);
  });

  it('refuses the function itself, in any namespace and version', () => {
    expect(parseTargets('backup', 'backup').problems).toHaveLength(1);
    expect(parseTargets('other/backup:3', 'backup').problems[0]).toMatch(/is this function/);
  });

  it('names every problem at once', () => {
    expect(parseTargets('fa fb,fc,fc', undefined).problems).toHaveLength(2);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), (value, self) => {
        const { targets, problems } = parseTargets(value, self);
        for (const t of targets) expect(t.functionName).not.toBe(self);
        expect(new Set(targets.map(targetName)).size).toBe(targets.length);
        expect(Array.isArray(problems)).toBe(true);
      }),
    );
  });
});
