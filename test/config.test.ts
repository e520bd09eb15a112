import { describe, expect, it } from 'vitest';
import { loadConfig, readCredentials } from '../src/config';
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
