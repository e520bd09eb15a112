import * as z from './zod';
import { ConfigError } from './errors';
import { maskText } from './mask/text';
import { parseTargets, type ForwardTarget } from './forward/targets';

/** What the environment says, checked once at cold start. */
export interface Config {
  bucket: string;
  region: string;
  prefix: string;
  /** Where to open connections instead of COS itself; the Host header and signature stay COS's. */
  endpoint: { protocol: 'http:' | 'https:'; host: string } | undefined;
  storageClass: string;
  timeoutMs: number;
  timeZone: string;
  logLevel: string;
  functionName: string | undefined;
  /** Where to hand each archived event on; empty: nowhere, and the SCF SDK is never loaded. */
  forwardTo: ForwardTarget[];
  /** The function's own region, where the targets are invoked. */
  functionRegion: string;
  /** Where to send SCF API calls instead of scf.tencentcloudapi.com. */
  scfEndpoint: { protocol: 'http://' | 'https://'; host: string } | undefined;
}

export interface Credentials {
  secretId: string;
  secretKey: string;
  sessionToken: string | undefined;
}

type Env = Record<string, string | undefined>;

const STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'INTELLIGENT_TIERING',
  'ARCHIVE',
  'DEEP_ARCHIVE',
  'MAZ_STANDARD',
  'MAZ_STANDARD_IA',
  'MAZ_INTELLIGENT_TIERING',
] as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Prefix segments are a strict subset of what key segments may hold, so no key can escape the prefix. */
const PREFIX_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._=-]*$/;
const MAX_PREFIX_BYTES = 200;

const unset = (v: unknown) => (v === '' ? undefined : v);

/** http(s)://host[:port] with a port from 1 to 65535, nothing before the host and nothing after it. */
function isEndpoint(value: string): boolean {
  if (!/^https?:\/\/[^/\s@]+\/?$/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.port === '' || Number(url.port) >= 1;
  } catch {
    return false;
  }
}
const endpoint = (example: string) =>
  optional(z.string().check(z.refine(isEndpoint, { message: `must be http(s)://host[:port] with a port from 1 to 65535, e.g. ${example}` })));
/** A variable set to "" is unset, as a missing one is. */
const blankIsUnset = <T extends z.ZodMiniType>(schema: T, clean: (v: unknown) => unknown = unset) =>
  z.pipe(z.transform(clean), schema);
const optional = <T extends z.ZodMiniType>(schema: T) => blankIsUnset(z.optional(schema));

/**
 * Node's own modules that print a request's options, its headers with them (COS's signature and
 * session token), when NODE_DEBUG names them. Node reads NODE_DEBUG as it starts, before the
 * function can change it, so such a value fails the cold start. (The COS SDK's HTTP client, which
 * reads it when it loads, the loader keeps quiet: loader.ts.)
 */
const NODE_MODULES_PRINTING_REQUESTS = ['http', 'https', 'net'];

/** Whether Node takes NODE_DEBUG to name a module: names apart by commas, in any case, "*" for any characters. */
function nodeDebugNames(value: string, module: string): boolean {
  const names = value.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*').replaceAll(',', '$|^');
  return new RegExp(`^(${names})$`, 'i').test(module);
}

const envSchema = z.object({
  COS_BUCKET: blankIsUnset(
    z
      .string({ error: 'is required (the target bucket, e.g. mps-archive-1250000000)' })
      .check(z.regex(/^[a-z0-9-]+-\d+$/, 'must look like name-appid, e.g. mps-archive-1250000000')),
  ),
  COS_REGION: optional(z.string().check(z.regex(/^[a-z0-9-]+$/, 'must be a COS region such as ap-guangzhou'))),
  TENCENTCLOUD_REGION: optional(z.string()),
  COS_PREFIX: blankIsUnset(
    z._default(z.string(), 'mps-events').check(
      z.refine((p) => p.split('/').every((s) => PREFIX_SEGMENT.test(s)) && !p.includes('..'), {
        message: 'must be one or more "/"-separated segments of letters, digits, ".", "_", "=", "-", without ".."',
      }),
      z.refine((p) => Buffer.byteLength(p) <= MAX_PREFIX_BYTES, {
        message: `must be at most ${MAX_PREFIX_BYTES} bytes`,
      }),
    ),
    (v) => unset(typeof v === 'string' ? v.replace(/^\/+|\/+$/g, '') : v),
  ),
  COS_ENDPOINT: endpoint('http://127.0.0.1:9000'),
  COS_STORAGE_CLASS: blankIsUnset(z._default(z.enum(STORAGE_CLASSES), 'STANDARD')),
  COS_TIMEOUT_MS: blankIsUnset(
    z._default(
      z.coerce
        .number({ error: 'must be a number of milliseconds' })
        .check(
          z.int('must be a whole number of milliseconds'),
          z.minimum(100, 'must be at least 100'),
          z.maximum(900_000, 'must be at most 900000 (the longest SCF timeout)'),
        ),
      5_000,
    ),
  ),
  PARTITION_TIMEZONE: blankIsUnset(
    z._default(z.string(), 'UTC').check(
      z.refine(isTimeZone, { message: 'must be an IANA time zone such as UTC or Asia/Shanghai' }),
    ),
  ),
  LOG_LEVEL: blankIsUnset(z._default(z.enum(LOG_LEVELS), 'info')),
  SCF_FUNCTIONNAME: optional(z.string()),
  FORWARD_TO: optional(z.string()),
  NODE_DEBUG: optional(
    z.string().check(
      z.refine((value) => !NODE_MODULES_PRINTING_REQUESTS.some((module) => nodeDebugNames(value, module)), {
        message: `must not name ${NODE_MODULES_PRINTING_REQUESTS.join(', ')}: Node then prints every request's headers, COS's signature and session token among them`,
      }),
    ),
  ),
  SCF_API_ENDPOINT: endpoint('http://127.0.0.1:9001'),
});

/** Every variable loadConfig reads. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);

function isTimeZone(zone: string): boolean {
  // Intl's first time zone costs ICU's set-up (~25 ms of cold start); UTC, the default, needs none.
  if (zone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Values are quoted back masked: a variable can hold a password, as in http://user:password@host. */
function fail(error: z.core.$ZodError, env: Env): never {
  const lines = error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const got = env[name] === undefined ? '' : ` (got ${JSON.stringify(maskText(env[name]))})`;
    return `${name} ${issue.message}${got}`;
  });
  throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
}

export function loadConfig(env: Env): Config {
  // Parsed once per instance: compiling a parser for it (see zod.ts) would cost more than it saves.
  const parsed = envSchema.safeParse(env, { jitless: true });
  if (!parsed.success) fail(parsed.error, env);
  const e = parsed.data;
  const region = e.COS_REGION ?? e.TENCENTCLOUD_REGION;
  if (!region) {
    throw new ConfigError('Invalid configuration: COS_REGION is required when TENCENTCLOUD_REGION is not set');
  }
  let endpoint: Config['endpoint'];
  if (e.COS_ENDPOINT) {
    const url = new URL(e.COS_ENDPOINT);
    endpoint = { protocol: url.protocol as 'http:' | 'https:', host: url.host };
  }
  let scfEndpoint: Config['scfEndpoint'];
  if (e.SCF_API_ENDPOINT) {
    const url = new URL(e.SCF_API_ENDPOINT);
    scfEndpoint = { protocol: `${url.protocol}//` as 'http://' | 'https://', host: url.host };
  }
  const { targets, problems } = parseTargets(e.FORWARD_TO ?? '', e.SCF_FUNCTIONNAME);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: FORWARD_TO: ${maskText(problems.join('; '))}`);
  return {
    bucket: e.COS_BUCKET,
    region,
    prefix: e.COS_PREFIX,
    endpoint,
    storageClass: e.COS_STORAGE_CLASS,
    timeoutMs: e.COS_TIMEOUT_MS,
    timeZone: e.PARTITION_TIMEZONE,
    logLevel: e.LOG_LEVEL,
    functionName: e.SCF_FUNCTIONNAME,
    forwardTo: targets,
    functionRegion: e.TENCENTCLOUD_REGION ?? region,
    scfEndpoint,
  };
}

/** The execution role's temporary keys rotate, so they are read for every invocation, never cached. */
export function readCredentials(env: Env): Credentials {
  const secretId = env.TENCENTCLOUD_SECRETID;
  const secretKey = env.TENCENTCLOUD_SECRETKEY;
  if (!secretId || !secretKey) {
    throw new ConfigError(
      'No credentials: TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY are not set (give the function an execution role)',
    );
  }
  return { secretId, secretKey, sessionToken: env.TENCENTCLOUD_SESSIONTOKEN || undefined };
}
