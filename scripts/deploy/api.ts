import { scf } from 'tencentcloud-sdk-nodejs-scf';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { maskText } from '../../src/mask/text';
import { MPS_VERSION, type MpsApi, type ScfCall } from '../tencent-api';
import type { DeployCredentials } from './credentials';
import type { Env } from './spec';

/*
 * The SCF and MPS clients deploy calls through: the official SDKs, every call signed with TC3.
 * SCF_API_ENDPOINT and MPS_API_ENDPOINT send them elsewhere (the local stand-ins). Every failure
 * becomes an ApiCallError that keeps the API's code, for the caller to act on, and whose message
 * is one line saying what to do (EXPLANATIONS).
 */

export class ApiCallError extends Error {
  constructor(
    readonly action: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

interface Failure {
  action: string;
  code: string;
  message: string;
  region: string;
  endpoint: string;
  credentials: string;
}

/** What to say about a failure, the first rule whose code matches; the API's own words otherwise. */
const EXPLANATIONS: { code: RegExp; says: (f: Failure) => string }[] = [
  {
    code: /^AuthFailure\.TokenFailure$/,
    says: (f) => `the API refused the session token from ${f.credentials} (${f.code}): temporary keys expire, and the token goes with the SecretId it was issued with: get a new set`,
  },
  {
    code: /^AuthFailure\.(SecretIdNotFound|SignatureFailure|InvalidSecretId|InvalidAuthorization)$/,
    says: (f) => `the API refused the credentials from ${f.credentials} (${f.code}): check the SecretId, the SecretKey and, for temporary keys, the session token`,
  },
  { code: /^AuthFailure\.SignatureExpire$/, says: (f) => `the signature was out of date (${f.code}): this machine's clock is more than five minutes off` },
  {
    code: /^(AuthFailure\.)?UnauthorizedOperation/,
    says: (f) => `the credentials from ${f.credentials} may not call ${f.action} (${f.code}): grant their user QcloudSCFFullAccess (and QcloudMPSFullAccess to bind the MPS triggers)`,
  },
  {
    code: /^(UnsupportedRegion|InvalidParameterValue\.Region|InvalidRegion)$/,
    says: (f) => `the API does not serve region ${JSON.stringify(f.region)} (${f.code}): set REGION to the region of the archive bucket, such as ap-guangzhou`,
  },
  { code: /^NetworkError$/, says: (f) => `could not reach ${f.endpoint}: ${f.message}` },
  { code: /^HTTP\d+$/, says: (f) => `${f.endpoint} answered ${f.code.slice(4)}: ${f.message}` },
];

/** The SDK's one exception class: an API error has a code, an HTTP error an httpCode, a network fault neither. */
function failure(error: unknown, context: Omit<Failure, 'code' | 'message'>): ApiCallError {
  const e = (error ?? {}) as { code?: unknown; httpCode?: unknown; message?: unknown };
  const code = typeof e.code === 'string' && e.code ? e.code : typeof e.httpCode === 'number' ? `HTTP${e.httpCode}` : 'NetworkError';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const f = { ...context, code, message };
  const rule = EXPLANATIONS.find((r) => r.code.test(code));
  return new ApiCallError(context.action, code === 'NetworkError' ? undefined : code, `${f.action}: ${rule ? rule.says(f) : `${code}: ${message}`}`);
}

/** SCF_API_ENDPOINT-style http(s)://host[:port] as the SDK's httpProfile takes it. */
function httpProfile(name: string, value: string | undefined) {
  if (!value) return {};
  const refused = new Error(`${name} ${JSON.stringify(maskText(value))} is not http(s)://host[:port]`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refused;
  }
  if (!/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.username || url.password) throw refused;
  return { endpoint: url.host, protocol: `${url.protocol}//` };
}

export interface Apis {
  scf: ScfCall;
  mps: MpsApi;
}

export function createApis(credentials: DeployCredentials, region: string, env: Env): Apis {
  const credential = { secretId: credentials.secretId, secretKey: credentials.secretKey, ...(credentials.token && { token: credentials.token }) };
  const scfProfile = httpProfile('SCF_API_ENDPOINT', env.SCF_API_ENDPOINT);
  const mpsProfile = httpProfile('MPS_API_ENDPOINT', env.MPS_API_ENDPOINT);
  // Large zips go up inline, base64 in the JSON body: a minute may not do on a slow link.
  const scfClient = new scf.v20180416.Client({ credential, region, profile: { httpProfile: { reqTimeout: 300, ...scfProfile } } });
  const mpsClient = new CommonClient('mps.tencentcloudapi.com', MPS_VERSION, { credential, region, profile: { httpProfile: mpsProfile } });
  const context = (action: string, endpoint: string) => ({ action, region, endpoint, credentials: credentials.source });

  return {
    scf: (action, request) =>
      (scfClient[action] as (r: typeof request) => Promise<never>).call(scfClient, request).catch((error: unknown) => {
        throw failure(error, context(action, scfProfile.endpoint ?? 'scf.tencentcloudapi.com'));
      }),
    mps: {
      BindTrigger: (request) =>
        mpsClient.request('BindTrigger', request).catch((error: unknown) => {
          throw failure(error, context('BindTrigger', mpsProfile.endpoint ?? 'mps.tencentcloudapi.com'));
        }),
    },
  };
}
